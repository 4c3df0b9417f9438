import Foundation

/// The 1-based line and column of the `occurrence`-th appearance of `needle` in `text`.
func position(of needle: String, in text: String, occurrence: Int = 1) -> (line: Int, column: Int)? {
  var seen = 0
  for (i, line) in text.components(separatedBy: "\n").enumerated() {
    var search = line.startIndex..<line.endIndex
    while let r = line.range(of: needle, range: search) {
      seen += 1
      if seen == occurrence { return (i + 1, line.distance(from: line.startIndex, to: r.lowerBound) + 1) }
      search = r.upperBound..<line.endIndex
    }
  }
  return nil
}
