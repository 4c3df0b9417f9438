/// "Did you mean" suggestions for misspelt names.
public enum Spelling {
  /// The candidate closest to `name`, when it is within three edits and the edits change at most
  /// half of it (`nope` is not a misspelt `msp`).
  public static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
    var best: (String, Int)?
    let limit = Swift.min(3, name.count / 2)
    for c in candidates {
      let d = distance(c, name)
      if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
    }
    return best?.0
  }

  /// `"; did you mean 'x'?"`, or nothing.
  public static func hint(for name: String, in candidates: some Sequence<String>) -> String {
    closest(to: name, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
  }

  /// Edit distance counting a swap of neighbours as one edit (optimal string alignment).
  static func distance(_ a: String, _ b: String) -> Int {
    let x = Array(a)
    let y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var before = [Int](repeating: 0, count: y.count + 1)
    var prev = Array(0...y.count)
    for i in 1...x.count {
      var cur = [i] + Array(repeating: 0, count: y.count)
      for j in 1...y.count {
        cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { cur[j] = Swift.min(cur[j], before[j - 2] + 1) }
      }
      before = prev
      prev = cur
    }
    return prev[y.count]
  }
}
