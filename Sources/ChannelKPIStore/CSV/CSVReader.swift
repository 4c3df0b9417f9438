#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads RFC 4180 CSV from a file in chunks, one record at a time, tracking line numbers.
final class CSVReader {
  /// A problem with the file's structure (not with a value).
  struct SyntaxError: Error {
    var line: Int
    /// The 1-based position of the field the problem is in, when known.
    var field: Int? = nil
    var message: String
  }

  private let file: UnsafeMutablePointer<FILE>
  private var buffer = [UInt8](repeating: 0, count: 1 << 16)
  private var length = 0
  private var position = 0
  private var atEnd = false
  /// Bytes consumed so far (for progress).
  private(set) var bytesRead = 0
  /// The line the next record starts on (1-based).
  private(set) var line = 1
  /// Keep each record's original text in `rawRecord` (for reports of rejected rows).
  var capturesRaw = false
  /// The original text of the last record read, when `capturesRaw` is set.
  private(set) var rawRecord: [UInt8] = []

  init(path: String) throws(CSVReader.SyntaxError) {
    guard let f = fopen(path, "rb") else {
      throw SyntaxError(line: 0, message: "cannot open the file: \(String(cString: strerror(errno)))")
    }
    file = f
  }

  deinit { fclose(file) }

  private func fill() -> Bool {
    if atEnd { return false }
    length = fread(&buffer, 1, buffer.count, file)
    position = 0
    if length == 0 {
      atEnd = true
      return false
    }
    return true
  }

  @inline(__always) private func nextByte() -> UInt8? {
    if position == length && !fill() { return nil }
    let b = buffer[position]
    position += 1
    bytesRead += 1
    return b
  }

  @inline(__always) private func peekByte() -> UInt8? {
    if position == length && !fill() { return nil }
    return buffer[position]
  }

  /// The next record's fields, or nil at the end of the file. `startLine` is the record's first line.
  func next() throws(CSVReader.SyntaxError) -> (fields: [String], startLine: Int)? {
    let start = line
    guard var b = nextByte() else { return nil }
    // A first record may start with a UTF-8 byte order mark.
    if bytesRead == 1, b == 0xEF {
      guard nextByte() == 0xBB, nextByte() == 0xBF else {
        throw SyntaxError(line: 1, message: "the file is not valid UTF-8")
      }
      guard let c = nextByte() else { return nil }
      b = c
    }
    rawRecord.removeAll(keepingCapacity: true)
    let capture = capturesRaw
    var fields: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var inQuotes = false
    var lineOf = start
    func finish() throws(CSVReader.SyntaxError) {
      guard let s = String(validating: field, as: UTF8.self) else {
        throw SyntaxError(line: lineOf, field: fields.count + 1, message: "is not valid UTF-8")
      }
      fields.append(s)
      field.removeAll(keepingCapacity: true)
      quoted = false
    }
    var current: UInt8? = b
    while let c = current {
      if capture && c != UInt8(ascii: "\n") && c != UInt8(ascii: "\r") || (capture && inQuotes) { rawRecord.append(c) }
      if inQuotes {
        if c == UInt8(ascii: "\"") {
          if peekByte() == UInt8(ascii: "\"") {
            _ = nextByte()
            if capture { rawRecord.append(c) }
            field.append(c)
          } else {
            inQuotes = false
          }
        } else {
          if c == UInt8(ascii: "\n") { line += 1 }
          field.append(c)
        }
      } else if c == UInt8(ascii: ",") {
        try finish()
      } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
        if c == UInt8(ascii: "\r"), peekByte() == UInt8(ascii: "\n") { _ = nextByte() }
        line += 1
        try finish()
        return (fields, start)
      } else if c == UInt8(ascii: "\"") {
        guard field.isEmpty, !quoted else {
          throw SyntaxError(
            line: lineOf, field: fields.count + 1,
            message: "has a quote inside an unquoted value; quote the whole field and double the quote")
        }
        quoted = true
        inQuotes = true
        lineOf = line
      } else {
        if quoted {
          throw SyntaxError(line: lineOf, field: fields.count + 1, message: "has text after its closing quote")
        }
        field.append(c)
      }
      current = nextByte()
    }
    if inQuotes {
      throw SyntaxError(
        line: lineOf, field: fields.count + 1, message: "opens a quote that is not closed before the end of the file")
    }
    try finish()
    return (fields, start)
  }

  /// The size of a file in bytes (0 when unknown).
  static func size(of path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : 0
  }
}

/// Writes CSV records with RFC 4180 quoting to a file, buffered.
final class CSVWriter {
  private let file: UnsafeMutablePointer<FILE>
  private let path: String
  private var buffer: [UInt8] = []
  /// The first write error (`errno`), reported by `close()`.
  private var failure: Int32?
  private var closed = false

  init(path: String) throws(CSVReader.SyntaxError) {
    guard let f = fopen(path, "wb") else {
      throw CSVReader.SyntaxError(line: 0, message: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    file = f
    self.path = path
    buffer.reserveCapacity(1 << 16)
  }

  deinit {
    if !closed {
      flush()
      fclose(file)
    }
  }

  func write(_ fields: [String]) {
    for (i, f) in fields.enumerated() {
      if i > 0 { buffer.append(UInt8(ascii: ",")) }
      CSVFormat.appendField(f, to: &buffer)
    }
    buffer.append(UInt8(ascii: "\n"))
    if buffer.count >= 1 << 16 { flush() }
  }

  func flush() {
    guard !buffer.isEmpty else { return }
    let written = buffer.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
    if written < buffer.count || fflush(file) != 0, failure == nil { failure = errno }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes what is buffered and closes the file; throws when any write failed (a full disk).
  func close() throws(CSVReader.SyntaxError) {
    guard !closed else { return }
    flush()
    closed = true
    if fclose(file) != 0, failure == nil { failure = errno }
    if let failure {
      throw CSVReader.SyntaxError(line: 0, message: "cannot write \(path): \(String(cString: strerror(failure)))")
    }
  }
}

/// RFC 4180 field quoting.
public enum CSVFormat {
  static func appendField(_ f: String, to buffer: inout [UInt8]) {
    let needs = f.utf8.contains {
      $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r")
    }
    if !needs {
      buffer.append(contentsOf: f.utf8)
      return
    }
    buffer.append(UInt8(ascii: "\""))
    for b in f.utf8 {
      if b == UInt8(ascii: "\"") { buffer.append(b) }
      buffer.append(b)
    }
    buffer.append(UInt8(ascii: "\""))
  }

  /// One CSV line (without the line break) for the fields.
  public static func line(_ fields: [String]) -> String {
    var b: [UInt8] = []
    for (i, f) in fields.enumerated() {
      if i > 0 { b.append(UInt8(ascii: ",")) }
      appendField(f, to: &b)
    }
    return String(decoding: b, as: UTF8.self)
  }
}
