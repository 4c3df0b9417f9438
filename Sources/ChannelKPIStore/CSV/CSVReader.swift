#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads RFC 4180 CSV from a file in chunks, one record at a time, tracking line numbers.
///
/// A record is read into one buffer of bytes, its fields one after another (quotes removed,
/// doubled quotes made single), with where each ends: the import validates most rows straight from
/// those bytes and makes strings only of the fields it keeps as text. Unquoted fields (nearly all)
/// are found by scanning the read buffer for the next separator and copied in one go.
///
/// Its state is read and written for every byte, by this thread alone: the stored properties skip
/// Swift's run-time exclusivity checks (`@exclusivity(unchecked)`), which took half the reader's
/// time at import sizes. No method hands one of them out `inout` while another touches it.
final class CSVReader {
  /// A problem with the file's structure (not with a value).
  struct SyntaxError: Error {
    var line: Int
    /// The 1-based position of the field the problem is in, when known.
    var field: Int? = nil
    var message: String
  }

  private static let capacity = 1 << 16
  private static let comma = UInt8(ascii: ",")
  private static let quote = UInt8(ascii: "\"")
  private static let lf = UInt8(ascii: "\n")
  private static let cr = UInt8(ascii: "\r")

  private let file: UnsafeMutablePointer<FILE>
  private let buffer: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) private var length = 0
  @exclusivity(unchecked) private var position = 0
  /// Bytes of the file before the buffer's.
  @exclusivity(unchecked) private var before = 0
  @exclusivity(unchecked) private var atEnd = false
  @exclusivity(unchecked) private var started = false
  /// The last record's fields, one after another.
  @exclusivity(unchecked) private(set) var bytes: [UInt8] = []
  /// Where each field of the last record ends in `bytes` (it starts where the one before ends).
  @exclusivity(unchecked) private(set) var ends: [Int] = []
  /// Whether every byte of the last record's fields is ASCII (known from the UTF-8 check).
  @exclusivity(unchecked) private(set) var isASCII = true
  /// Bytes consumed so far (for progress).
  var bytesRead: Int { before + position }
  /// The line the next record starts on (1-based).
  @exclusivity(unchecked) private(set) var line = 1
  /// Keep each record's original text in `rawRecord` (for reports of rejected rows).
  @exclusivity(unchecked) var capturesRaw = false
  /// The original text of the last record read (without its line break), when `capturesRaw` is set.
  @exclusivity(unchecked) private(set) var rawRecord: [UInt8] = []

  init(path: String) throws(CSVReader.SyntaxError) {
    guard let f = fopen(path, "rb") else {
      throw SyntaxError(line: 0, message: "cannot open the file: \(String(cString: strerror(errno)))")
    }
    file = f
    buffer = .allocate(capacity: Self.capacity)
  }

  deinit {
    fclose(file)
    buffer.deallocate()
  }

  /// Reads the next chunk once the buffer is used up; false at the end of the file.
  private func fill() -> Bool {
    if atEnd { return false }
    before += length
    length = fread(buffer, 1, Self.capacity, file)
    position = 0
    if length == 0 {
      atEnd = true
      return false
    }
    return true
  }

  /// Whether a byte is there to read (reading the next chunk when needed).
  @inline(__always) private func more() -> Bool { position < length || fill() }

  private func nextByte() -> UInt8? {
    guard more() else { return nil }
    position += 1
    return buffer[position - 1]
  }

  private func keep(_ bytes: UnsafeBufferPointer<UInt8>) {
    if capturesRaw { rawRecord.append(contentsOf: bytes) }
  }

  private func keep(_ byte: UInt8) {
    if capturesRaw { rawRecord.append(byte) }
  }

  /// Consumes a line break (`\n`, `\r` or `\r\n`) at the current position.
  private func endLine() {
    let c = buffer[position]
    position += 1
    if c == Self.cr, more(), buffer[position] == Self.lf { position += 1 }
    line += 1
  }

  /// Fields of the last record.
  var fieldCount: Int { ends.count }

  /// The text of field `i` (0-based) of the last record (its UTF-8 was checked as it was read).
  func field(_ i: Int) -> String {
    let start = i == 0 ? 0 : ends[i - 1]
    return bytes.withUnsafeBufferPointer { b in
      String(decoding: UnsafeBufferPointer(rebasing: b[start..<ends[i]]), as: UTF8.self)
    }
  }

  /// The last record's fields as text.
  var fields: [String] { (0..<ends.count).map(field) }

  /// Checks the field just read (the last in `ends`): ASCII as it is, anything else as UTF-8, so
  /// that a bad byte is reported where the field ends, before what follows it in the record.
  private func checkText(line: Int) throws(CSVReader.SyntaxError) {
    let start = ends.count < 2 ? 0 : ends[ends.count - 2]
    let end = ends[ends.count - 1]
    let (ascii, valid) = bytes.withUnsafeBufferPointer { b in
      let f = UnsafeBufferPointer(rebasing: b[start..<end])
      return f.allSatisfy { $0 < 0x80 } ? (true, true) : (false, String(validating: f, as: UTF8.self) != nil)
    }
    if !ascii { isASCII = false }
    if !valid { throw SyntaxError(line: line, field: ends.count, message: "is not valid UTF-8") }
  }

  /// The next record's fields as text, or nil at the end of the file. `startLine` is the record's
  /// first line.
  func next() throws(CSVReader.SyntaxError) -> (fields: [String], startLine: Int)? {
    guard let start = try nextRecord() else { return nil }
    return (fields, start)
  }

  /// Reads the next record into `bytes` and `ends`; returns the line it starts on, or nil at the
  /// end of the file.
  func nextRecord() throws(CSVReader.SyntaxError) -> Int? {
    let start = line
    guard more() else { return nil }
    if !started {
      started = true
      // A first record may start with a UTF-8 byte order mark.
      if buffer[position] == 0xEF {
        position += 1
        guard nextByte() == 0xBB, nextByte() == 0xBF else {
          throw SyntaxError(line: 1, message: "the file is not valid UTF-8")
        }
        guard more() else { return nil }
      }
    }
    rawRecord.removeAll(keepingCapacity: true)
    bytes.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    isASCII = true
    while true {
      let lineOf = line
      // A comma just before the end of the file ends the record with an empty field.
      guard more() else {
        ends.append(bytes.count)
        return start
      }
      if buffer[position] == Self.quote {
        try quotedField(line: lineOf)
        ends.append(bytes.count)
        try checkText(line: lineOf)
        // After the closing quote: a comma, a line break or the end of the file.
        guard more() else { return start }
        let c = buffer[position]
        if c == Self.comma {
          position += 1
          keep(c)
          continue
        }
        if c == Self.lf || c == Self.cr {
          endLine()
          return start
        }
        throw SyntaxError(line: lineOf, field: ends.count, message: "has text after its closing quote")
      }
      // An unquoted field: up to the next comma, line break or quote, across reads if need be.
      var stop: UInt8?
      while true {
        var i = position
        while i < length {
          let c = buffer[i]
          if c == Self.comma || c == Self.lf || c == Self.cr || c == Self.quote { break }
          i += 1
        }
        let chunk = UnsafeBufferPointer(start: buffer + position, count: i - position)
        keep(chunk)
        bytes.append(contentsOf: chunk)
        position = i
        if i < length {
          stop = buffer[i]
          break
        }
        if !fill() { break }
      }
      ends.append(bytes.count)
      try checkText(line: lineOf)
      switch stop {
      case nil:
        return start
      case Self.comma:
        position += 1
        keep(Self.comma)
      case Self.quote:
        throw SyntaxError(
          line: lineOf, field: ends.count,
          message: "has a quote inside an unquoted value; quote the whole field and double the quote")
      default:
        endLine()
        return start
      }
    }
  }

  /// Reads a quoted field (the position is at its opening quote) up to and including its closing
  /// quote into `bytes`; a doubled quote inside is one quote.
  private func quotedField(line lineOf: Int) throws(CSVReader.SyntaxError) {
    position += 1
    keep(Self.quote)
    while true {
      guard more() else {
        throw SyntaxError(
          line: lineOf, field: ends.count + 1,
          message: "opens a quote that is not closed before the end of the file")
      }
      var i = position
      while i < length && buffer[i] != Self.quote {
        if buffer[i] == Self.lf { line += 1 }
        i += 1
      }
      let chunk = UnsafeBufferPointer(start: buffer + position, count: i - position)
      bytes.append(contentsOf: chunk)
      keep(chunk)
      position = i
      if i == length { continue }
      position += 1
      keep(Self.quote)
      guard more(), buffer[position] == Self.quote else { break }
      position += 1
      bytes.append(Self.quote)
      keep(Self.quote)
    }
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
