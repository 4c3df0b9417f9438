import ChannelKPI

/// Why a source value cannot be converted, in words (written as a string literal).
struct ValueProblem: Error, Sendable, ExpressibleByStringInterpolation {
  var message: String
  init(stringLiteral value: String) { message = value }
}

/// How an import mapping fills one canonical field.
struct FieldRule: Sendable {
  enum Source: Sendable {
    /// The same canonical text on every row (nil = absent).
    case constant(String?)
    /// The text of one source column, or of several joined.
    case columns([String])
  }

  enum LetterCase: String, Sendable { case lower, upper }

  /// The field holds a value only when each of these fields holds one of the values.
  struct Condition: Sendable {
    var field: Int
    var values: Set<String>
  }

  /// How a date cell is read and what it becomes.
  struct DateRule: Sendable {
    var pattern: DatePattern
    var type: FieldType
    var timeZone: MappingTimeZone?
  }

  var source: Source
  var join = "-"
  var split: String?
  /// The canonical text of an empty cell (and of a value not in `map` when there is no `otherwise`).
  var defaultValue: String?
  /// Source values (folded) to canonical texts (nil = absent).
  var map: [String: String?]?
  /// The map's keys as written, for messages.
  var mapKeys: [String] = []
  /// The canonical text of a value not in `map` (`.some(nil)` = absent).
  var otherwise: String??
  var letterCase: LetterCase?
  var prefix = ""
  var suffix = ""
  var date: DateRule?
  var money: MoneyPattern?
  var onlyIf: [Condition] = []

  /// Leading and trailing white space (no-break spaces included) removed.
  static func trim(_ s: String) -> String {
    guard let first = s.firstIndex(where: { !$0.isWhitespace }), let last = s.lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(s[first...last])
  }

  /// The form map keys and header names are compared in: lower case, runs of spaces as one.
  static func fold(_ s: String) -> String {
    trim(s).lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  /// The source text of the cells: trimmed, non-empty parts joined, the first of split values.
  func read(_ cells: [String]) -> String {
    let parts = cells.map(Self.trim).filter { !$0.isEmpty }
    var text = parts.joined(separator: join)
    if let split {
      text =
        text.components(separatedBy: split).map(Self.trim).first { !$0.isEmpty } ?? ""
    }
    return text
  }

  /// The canonical text of a source text, nil when absent, or why there is none.
  func convert(_ raw: String?, as column: Column) -> Result<String?, ValueProblem> {
    guard let raw, !raw.isEmpty else { return .success(defaultValue) }
    if let map {
      if let hit = map[Self.fold(raw)] { return .success(hit) }
      if let otherwise { return .success(otherwise) }
      if let defaultValue { return .success(defaultValue) }
      let known = mapKeys.map { "'\($0)'" }.joined(separator: ", ")
      return .failure("'\(raw)' is not in the mapping's map (it knows \(known)); add it to the map, or set otherwise:")
    }
    var text = raw
    switch letterCase {
    case .lower?: text = text.lowercased()
    case .upper?: text = text.uppercased()
    case nil: break
    }
    if let date { return convertDate(text, date).map { $0 } }
    if let money { return money.canonical(text).map { $0 } }
    return .success(prefix + text + suffix)
  }

  private func convertDate(_ text: String, _ rule: DateRule) -> Result<String, ValueProblem> {
    guard let r = rule.pattern.read(text, trailingTime: rule.type == .date) else {
      return .failure("'\(text)' does not match the date format \(rule.pattern.text)")
    }
    if rule.type == .month {
      guard (1...12).contains(r.month), (1...9999).contains(r.year) else {
        return .failure("'\(text)' is not a month")
      }
      return .success(Month(year: r.year, month: r.month).description)
    }
    guard let day = Day(year: r.year, month: r.month, day: r.day) else {
      return .failure("'\(text)' is not a calendar date")
    }
    guard rule.type == .datetime else { return .success(day.description) }
    let local = Int64(day.number) * 86_400 + Int64(r.hour * 3600 + r.minute * 60 + r.second)
    guard let offset = r.offset ?? rule.timeZone?.offset(atLocal: local) else {
      return .failure("'\(text)' has no UTC offset and the mapping gives no timezone")
    }
    let micros = (local - Int64(offset) * 60) * 1_000_000 + Int64(r.micros)
    return .success(Timestamp(microseconds: micros, offsetMinutes: Int32(offset)).description)
  }
}
