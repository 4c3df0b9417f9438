extension ChangePayload {
  /// The payload as JSON, written straight into bytes: every ingested batch logs one, and
  /// Foundation's encoder took a tenth of a batch's time. `JSONDecoder` reads it back as the
  /// same payload (`change(position:kind:payload:)`).
  func json() -> String {
    var out: [UInt8] = []
    out.reserveCapacity(64 + tables.reduce(0) { $0 + $1.rows.count * 96 })
    out.append(contentsOf: #"{"tables":["#.utf8)
    for (i, t) in tables.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      out.append(contentsOf: #"{"table":"#.utf8)
      Self.append(t.table.rawValue, to: &out)
      out.append(contentsOf: #","rows":["#.utf8)
      for (j, row) in t.rows.enumerated() {
        if j > 0 { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "["))
        for (k, value) in row.enumerated() {
          if k > 0 { out.append(UInt8(ascii: ",")) }
          if let value { Self.append(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        out.append(UInt8(ascii: "]"))
      }
      out.append(contentsOf: "]}".utf8)
    }
    out.append(contentsOf: "]}".utf8)
    return String(decoding: out, as: UTF8.self)
  }

  /// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
  private static func append(_ s: String, to out: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    out.append(UInt8(ascii: "\""))
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"):
        out.append(UInt8(ascii: "\\"))
        out.append(b)
      case 0..<0x20:
        out.append(contentsOf: #"\u00"#.utf8)
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 0xF)])
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
