import ChannelKPIStore
import Testing

/// Expects, among `errors`, one whose message contains `message`, in `file`, at the place of the
/// `occurrence`-th appearance of `needle` in `text` (its column moved by `columnOffset`).
func expectPlacedError(
  _ errors: [DefinitionFileError], in file: String, text: String, at needle: String, occurrence: Int = 1,
  columnOffset: Int = 0, _ message: String, sourceLocation: SourceLocation
) {
  guard let expected = position(of: needle, in: text, occurrence: occurrence) else {
    Issue.record("'\(needle)' is not in the fixture", sourceLocation: sourceLocation)
    return
  }
  guard let e = errors.first(where: { $0.message.contains(message) }) else {
    Issue.record("no error says '\(message)'; got \(errors.map(\.description))", sourceLocation: sourceLocation)
    return
  }
  #expect(e.file == file, sourceLocation: sourceLocation)
  #expect(
    e.line == expected.line && e.column == expected.column + columnOffset,
    "\(e.description) is not at \(expected.line):\(expected.column + columnOffset)", sourceLocation: sourceLocation)
}
