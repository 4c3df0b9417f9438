import ChannelKPI
import NIOCore
import PostgresNIO

/// Reads the cells of ChannelKPI's columns without going through `Codable`: PostgreSQL sends
/// `BIGINT` and `DATE` in binary (big-endian; days since 2000-01-01) and text as UTF-8, or
/// everything as text when asked to.
enum PostgresCellReader {
  /// Days from 1970-01-01 (ChannelKPI's day 0) to 2000-01-01 (PostgreSQL's).
  static let epochOffset: Int32 = 10_957

  static func integer(_ cell: PostgresCell) -> Int64? {
    guard var b = cell.bytes else { return nil }
    if cell.format == .binary {
      switch b.readableBytes {
      case 8: return b.readInteger(as: Int64.self)
      case 4: return b.readInteger(as: Int32.self).map(Int64.init)
      case 2: return b.readInteger(as: Int16.self).map(Int64.init)
      default: return nil
      }
    }
    return b.readString(length: b.readableBytes).flatMap { Int64($0) }
  }

  static func day(_ cell: PostgresCell) -> Day? {
    guard var b = cell.bytes else { return nil }
    if cell.format == .binary, cell.dataType == .date {
      // ±infinity (Int32.max and .min) and dates past Day's range read as absent.
      guard let days = b.readInteger(as: Int32.self) else { return nil }
      let (number, overflow) = days.addingReportingOverflow(epochOffset)
      return overflow ? nil : Day(number: number)
    }
    return b.readString(length: b.readableBytes).flatMap { Day(iso: $0) }
  }

  /// Calls `body` with the cell's UTF-8 bytes; not at all when NULL or empty (absent).
  static func withText<T>(_ cell: PostgresCell, _ body: (UnsafeRawBufferPointer) -> T) -> T? {
    guard let b = cell.bytes, b.readableBytes > 0 else { return nil }
    return b.withUnsafeReadableBytes(body)
  }

  /// A cell as the field value of a column.
  static func value(_ cell: PostgresCell, _ type: FieldType) -> FieldValue {
    switch type {
    case .money: return integer(cell).map(FieldValue.money) ?? .absent
    case .int: return integer(cell).map(FieldValue.int) ?? .absent
    case .date: return day(cell).map(FieldValue.day) ?? .absent
    default:
      guard let s = withText(cell, { String(decoding: $0, as: UTF8.self) }) else { return .absent }
      switch type {
      case .month: return Month(iso: s).map(FieldValue.month) ?? .absent
      case .datetime: return Timestamp(iso: s).map(FieldValue.timestamp) ?? .absent
      default: return .string(s)
      }
    }
  }
}
