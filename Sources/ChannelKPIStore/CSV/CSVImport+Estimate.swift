public import ChannelKPI
import Foundation

extension CSVImportSource {
  /// About how many rows each table's files hold, worked out from each file's size and the
  /// length of its first rows (the first 64 KiB): enough to size an engine's dictionaries before
  /// a bulk load. A file that cannot be read counts as empty here; reading it says why.
  public func estimatedRows() -> [CanonicalTable: Int] {
    var out: [CanonicalTable: Int] = [:]
    for f in files { out[f.table, default: 0] += Self.estimatedRows(inFile: f.path) }
    return out
  }

  /// A file's rows below its header line: exact when the whole file fits in `sample` bytes (and
  /// no field holds a line break), scaled from the rows of the sample otherwise. Only regular
  /// files are read: from a pipe, the bytes read here would be lost to the import.
  static func estimatedRows(inFile path: String, sample: Int = 1 << 16) -> Int {
    var st = stat()
    guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG,
      let handle = FileHandle(forReadingAtPath: path)
    else { return 0 }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: sample), !data.isEmpty else { return 0 }
    let head = [UInt8](data)
    let size = Int(st.st_size)
    let breaks = head.indices.filter { head[$0] == 0x0A }
    if head.count >= size {
      // Every line ends in a line break, or the last one at the end of the file.
      let lines = breaks.count + (head.last == 0x0A ? 0 : 1)
      return max(0, lines - 1)
    }
    // The sample's whole rows after the header, and the bytes they take.
    guard breaks.count >= 2 else { return 0 }
    let headerEnd = breaks[0] + 1
    let rowBytes = Double(breaks[breaks.count - 1] + 1 - headerEnd) / Double(breaks.count - 1)
    return Int((Double(size - headerEnd) / rowBytes).rounded())
  }
}
