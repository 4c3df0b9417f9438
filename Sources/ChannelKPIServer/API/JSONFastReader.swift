import ChannelKPI
import Foundation

/// Reads the usual shape of request bodies (objects, arrays, strings, plain decimal numbers,
/// literals) straight from the bytes, without Foundation's decoder, which tries each type in turn
/// per value and took a tenth of a server's time ingesting 100-record batches.
///
/// It gives up (nil) on anything it is not sure Foundation reads the same way: numbers with an
/// exponent or more than 30 characters, `\u` escapes of control characters or surrogates, a raw
/// control character, invalid UTF-8, a key given twice, nesting deeper than 64, and of course
/// anything that is not JSON. `JSONInput.parse` then reads the body with Foundation, so the same
/// bodies are accepted and refused with the same messages either way.
struct JSONFastReader {
  private let b: UnsafeRawBufferPointer
  private var i = 0
  private var depth = 0

  private init(_ bytes: UnsafeRawBufferPointer) { b = bytes }

  static func read(_ data: Data) -> JSONInput? {
    data.withUnsafeBytes { bytes in
      var r = JSONFastReader(bytes)
      guard let v = r.value() else { return nil }
      r.skipSpace()
      return r.i == bytes.count ? v : nil
    }
  }

  /// The usual body of a batch of facts, `{"records": [{...}, ...]}`, read straight into each
  /// record's field texts by column as `RecordsBody` reads them (a number in its canonical text;
  /// null and "" as nil), without a dictionary per record. Nil for anything else: a member that
  /// names no column or comes twice, a number for a column that is not money or an integer,
  /// another value than a string, number or null, more than `limit` records, or whatever
  /// `read` gives up on. The general reader then reads the body and reports what is wrong.
  static func records(_ data: Data, schema: TableSchema, limit: Int) -> [[String?]]? {
    let names = schema.columns.map { Array($0.name.utf8) }
    let numeric = schema.columns.map { $0.type == .money || $0.type == .int }
    guard names.count <= 64 else { return nil }
    return data.withUnsafeBytes { bytes in
      var r = JSONFastReader(bytes)
      guard let rows = r.records(names: names, numeric: numeric, limit: limit) else { return nil }
      r.skipSpace()
      return r.i == bytes.count ? rows : nil
    }
  }

  private mutating func records(names: [[UInt8]], numeric: [Bool], limit: Int) -> [[String?]]? {
    skipSpace()
    guard i < b.count, b[i] == UInt8(ascii: "{"), open(closing: UInt8(ascii: "}")) == false else { return nil }
    skipSpace()
    guard member(is: Array("records".utf8)) else { return nil }
    skipSpace()
    guard i < b.count, b[i] == UInt8(ascii: "["), var closed = open(closing: UInt8(ascii: "]")) else { return nil }
    var rows: [[String?]] = []
    while !closed {
      guard rows.count < limit, let row = record(names: names, numeric: numeric),
        let end = next(closing: UInt8(ascii: "]"))
      else { return nil }
      rows.append(row)
      closed = end
    }
    guard next(closing: UInt8(ascii: "}")) == true else { return nil }
    return rows
  }

  /// One record's object, its values by column.
  private mutating func record(names: [[UInt8]], numeric: [Bool]) -> [String?]? {
    skipSpace()
    guard i < b.count, b[i] == UInt8(ascii: "{"), var closed = open(closing: UInt8(ascii: "}")) else { return nil }
    var texts = [String?](repeating: nil, count: names.count)
    var seen: UInt64 = 0
    while !closed {
      skipSpace()
      guard let c = column(names), seen & (1 << UInt64(c)) == 0 else { return nil }
      seen |= 1 << UInt64(c)
      skipSpace()
      guard i < b.count else { return nil }
      switch b[i] {
      case UInt8(ascii: "\""):
        guard let text = string() else { return nil }
        texts[c] = text.isEmpty ? nil : text
      case UInt8(ascii: "n"):
        guard literal("null", .null) != nil else { return nil }
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        guard numeric[c], case .number(let d)? = number() else { return nil }
        texts[c] = ValueFormat.machine(d)
      default: return nil
      }
      guard let end = next(closing: UInt8(ascii: "}")) else { return nil }
      closed = end
    }
    return texts
  }

  /// A member name and its colon, when the name is one of `names` written without escapes: its
  /// column.
  private mutating func column(_ names: [[UInt8]]) -> Int? {
    guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
    let start = i + 1
    var end = start
    while end < b.count, b[end] != UInt8(ascii: "\""), b[end] != UInt8(ascii: "\\") { end += 1 }
    guard end < b.count, b[end] == UInt8(ascii: "\"") else { return nil }
    let n = end - start
    guard
      let c = names.firstIndex(where: { name in
        name.count == n && name.withUnsafeBytes { $0.elementsEqual(UnsafeRawBufferPointer(rebasing: b[start..<end])) }
      })
    else { return nil }
    i = end + 1
    skipSpace()
    guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
    i += 1
    return c
  }

  /// Whether the next member is named `name` (without escapes); past its colon when it is.
  private mutating func member(is name: [UInt8]) -> Bool {
    guard column([name]) == 0 else { return false }
    return true
  }

  private mutating func skipSpace() {
    while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
  }

  private mutating func value() -> JSONInput? {
    skipSpace()
    guard i < b.count else { return nil }
    switch b[i] {
    case UInt8(ascii: "{"): return object()
    case UInt8(ascii: "["): return array()
    case UInt8(ascii: "\""): return string().map { .string($0) }
    case UInt8(ascii: "t"): return literal("true", .bool(true))
    case UInt8(ascii: "f"): return literal("false", .bool(false))
    case UInt8(ascii: "n"): return literal("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
    default: return nil
    }
  }

  private mutating func literal(_ word: StaticString, _ v: JSONInput) -> JSONInput? {
    let n = word.utf8CodeUnitCount
    guard i + n <= b.count else { return nil }
    for k in 0..<n where b[i + k] != word.utf8Start[k] { return nil }
    i += n
    return v
  }

  private mutating func object() -> JSONInput? {
    var members: [String: JSONInput] = [:]
    guard var closed = open(closing: UInt8(ascii: "}")) else { return nil }
    while !closed {
      skipSpace()
      guard i < b.count, b[i] == UInt8(ascii: "\""), let key = string() else { return nil }
      skipSpace()
      guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
      i += 1
      guard let v = value(), members.updateValue(v, forKey: key) == nil,
        let end = next(closing: UInt8(ascii: "}"))
      else { return nil }
      closed = end
    }
    return .object(members)
  }

  private mutating func array() -> JSONInput? {
    var items: [JSONInput] = []
    guard var closed = open(closing: UInt8(ascii: "]")) else { return nil }
    while !closed {
      guard let v = value(), let end = next(closing: UInt8(ascii: "]")) else { return nil }
      items.append(v)
      closed = end
    }
    return .array(items)
  }

  /// Enters an object or array at its opening bracket: true when it is empty (and left already),
  /// nil when nested too deep.
  private mutating func open(closing: UInt8) -> Bool? {
    depth += 1
    guard depth <= 64 else { return nil }
    i += 1
    skipSpace()
    guard i < b.count, b[i] == closing else { return false }
    i += 1
    depth -= 1
    return true
  }

  /// After a member or item: false past a comma, true past the closing bracket, nil otherwise.
  private mutating func next(closing: UInt8) -> Bool? {
    skipSpace()
    guard i < b.count else { return nil }
    if b[i] == UInt8(ascii: ",") {
      i += 1
      return false
    }
    guard b[i] == closing else { return nil }
    i += 1
    depth -= 1
    return true
  }

  /// A string starting at the opening quote.
  private mutating func string() -> String? {
    i += 1
    let start = i
    // Most strings have no escape: their bytes are the text.
    while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\") {
      if b[i] < 0x20 { return nil }
      i += 1
    }
    guard i < b.count else { return nil }
    if b[i] == UInt8(ascii: "\"") {
      i += 1
      return String(validating: UnsafeRawBufferPointer(rebasing: b[start..<i - 1]), as: UTF8.self)
    }
    var bytes = Array(b[start..<i])
    while i < b.count {
      let c = b[i]
      if c == UInt8(ascii: "\"") {
        i += 1
        return String(validating: bytes, as: UTF8.self)
      }
      if c < 0x20 { return nil }
      if c != UInt8(ascii: "\\") {
        bytes.append(c)
        i += 1
        continue
      }
      guard i + 1 < b.count else { return nil }
      i += 2
      switch b[i - 1] {
      case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
      case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
      case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "/"))
      case UInt8(ascii: "b"): bytes.append(0x08)
      case UInt8(ascii: "f"): bytes.append(0x0C)
      case UInt8(ascii: "n"): bytes.append(0x0A)
      case UInt8(ascii: "r"): bytes.append(0x0D)
      case UInt8(ascii: "t"): bytes.append(0x09)
      case UInt8(ascii: "u"):
        guard i + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
          guard let h = Self.hex(b[i + k]) else { return nil }
          v = v << 4 | h
        }
        i += 4
        // Control characters and surrogates are left to Foundation.
        guard v >= 0x20, !(0xD800...0xDFFF).contains(v), let scalar = Unicode.Scalar(v) else { return nil }
        bytes.append(contentsOf: String(Character(scalar)).utf8)
      default: return nil
      }
    }
    return nil
  }

  private static func hex(_ c: UInt8) -> UInt32? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(c - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(c - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)?`, at most 30 characters; anything else is left to Foundation.
  private mutating func number() -> JSONInput? {
    let start = i
    func digit(_ k: Int) -> Bool { k < b.count && b[k] >= UInt8(ascii: "0") && b[k] <= UInt8(ascii: "9") }
    if b[i] == UInt8(ascii: "-") { i += 1 }
    guard digit(i) else { return nil }
    if b[i] == UInt8(ascii: "0") {
      i += 1
      if digit(i) { return nil }
    } else {
      while digit(i) { i += 1 }
    }
    if i < b.count, b[i] == UInt8(ascii: ".") {
      i += 1
      guard digit(i) else { return nil }
      while digit(i) { i += 1 }
    }
    if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") { return nil }
    guard i - start <= 30,
      let d = Double(String(decoding: UnsafeRawBufferPointer(rebasing: b[start..<i]), as: UTF8.self)), d.isFinite,
      d != 0 || b[start] != UInt8(ascii: "-")  // -0 is left to Foundation too
    else { return nil }
    return .number(d)
  }
}
