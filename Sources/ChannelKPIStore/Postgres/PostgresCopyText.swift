import ChannelKPI
import NIOCore

/// Rows in the text format of `COPY … FROM STDIN`: fields separated by tabs, rows ended by a
/// newline, `\N` for NULL, and backslash, tab, newline and carriage return escaped.
enum PostgresCopyText {
  static func append(_ r: FactRecord, to buffer: inout ByteBuffer) {
    let columns = r.table.schema.columns
    for (i, v) in r.values.enumerated() {
      if i > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
      switch v {
      case .absent:
        // A key column that may be absent holds '' (an empty field), others NULL.
        if !SQLiteSchema.isNullableKey(r.table, columns[i]) { buffer.writeStaticString("\\N") }
      case .money(let x), .int(let x):
        buffer.writeString(String(x))
      case .string(let s):
        appendEscaped(s, to: &buffer)
      case .day, .month, .timestamp:
        buffer.writeString(v.description)
      }
    }
    buffer.writeInteger(UInt8(ascii: "\n"))
  }

  static func appendEscaped(_ s: String, to buffer: inout ByteBuffer) {
    var s = s
    s.withUTF8 { bytes in
      var start = 0
      for (i, b) in bytes.enumerated() {
        let escape: UInt8? =
          switch b {
          case UInt8(ascii: "\\"): UInt8(ascii: "\\")
          case UInt8(ascii: "\t"): UInt8(ascii: "t")
          case UInt8(ascii: "\n"): UInt8(ascii: "n")
          case UInt8(ascii: "\r"): UInt8(ascii: "r")
          default: nil
          }
        guard let escape else { continue }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<i]))
        buffer.writeInteger(UInt8(ascii: "\\"))
        buffer.writeInteger(escape)
        start = i + 1
      }
      buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start...]))
    }
  }
}
