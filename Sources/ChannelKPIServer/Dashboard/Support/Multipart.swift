import Foundation

/// One part of a `multipart/form-data` body: a form field or an uploaded file.
struct MultipartPart: Sendable, Hashable {
  var name: String
  /// The file name the browser sent, for file fields.
  var filename: String?
  var contentType: String?
  var body: [UInt8]

  var text: String { String(decoding: body, as: UTF8.self) }
}

/// A small, strict parser of `multipart/form-data` bodies (RFC 7578), bounded in parts and
/// header sizes so a hostile body cannot make it work hard.
enum Multipart {
  /// Why a body could not be read, in words for the person who sent it.
  struct Failure: Error, Sendable, Hashable {
    let message: String
  }

  static let maxParts = 32
  static let maxHeaderBytes = 8 * 1024

  /// The boundary of a `multipart/form-data` content type, or nil when it is not one.
  static func boundary(contentType: String) -> String? {
    let parts = splitParameters(contentType)
    guard let type = parts.first?.lowercased(), type == "multipart/form-data" else { return nil }
    for p in parts.dropFirst() {
      let (k, v) = keyValue(p)
      if k == "boundary", let v, !v.isEmpty, v.utf8.count <= 70 { return v }
    }
    return nil
  }

  /// The parts of a body.
  static func parse(_ body: [UInt8], boundary: String) throws(Failure) -> [MultipartPart] {
    let delimiter = Array("--\(boundary)".utf8)
    let crlf: [UInt8] = [13, 10]
    guard var i = find(delimiter, in: body, from: 0) else {
      throw Failure(message: "The form data is incomplete: its boundary is missing.")
    }
    var parts: [MultipartPart] = []
    while true {
      i += delimiter.count
      // "--" after a delimiter ends the body.
      if i + 1 < body.count && body[i] == 45 && body[i + 1] == 45 { return parts }
      // Transport padding, then the line break.
      while i < body.count && (body[i] == 32 || body[i] == 9) { i += 1 }
      if i + 1 < body.count && body[i] == 13 && body[i + 1] == 10 {
        i += 2
      } else if i < body.count && body[i] == 10 {
        i += 1
      } else {
        throw Failure(message: "The form data is malformed: a part boundary is not followed by a line break.")
      }
      guard parts.count < maxParts else { throw Failure(message: "The form has too many fields.") }
      guard let headerEnd = find(crlf + crlf, in: body, from: i, limit: maxHeaderBytes) else {
        throw Failure(message: "The form data is malformed: a part has no end to its headers.")
      }
      let headerText = String(decoding: body[i..<headerEnd], as: UTF8.self)
      let start = headerEnd + 4
      guard let end = find(crlf + delimiter, in: body, from: start) else {
        throw Failure(message: "The form data is incomplete: the upload may have been cut short.")
      }
      var part = MultipartPart(name: "", body: Array(body[start..<end]))
      for line in headerText.split(separator: "\r\n") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        if name == "content-type" { part.contentType = value }
        if name == "content-disposition" {
          let params = splitParameters(value)
          guard params.first?.lowercased() == "form-data" else {
            throw Failure(message: "The form data is malformed: a part is not form data.")
          }
          for p in params.dropFirst() {
            let (k, v) = keyValue(p)
            if k == "name" { part.name = v ?? "" }
            if k == "filename" { part.filename = v }
          }
        }
      }
      guard !part.name.isEmpty else { throw Failure(message: "The form data is malformed: a part has no name.") }
      parts.append(part)
      i = end + 2
    }
  }

  /// The first index of `needle` in `haystack` at or after `from` (and, with a limit, starting
  /// within `limit` bytes of it).
  static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int, limit: Int? = nil) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
    let first = needle[0]
    var last = haystack.count - needle.count
    if let limit { last = Swift.min(last, from + limit) }
    var i = from
    return haystack.withUnsafeBufferPointer { h in
      needle.withUnsafeBufferPointer { n in
        while i <= last {
          if h[i] == first {
            var j = 1
            while j < n.count && h[i + j] == n[j] { j += 1 }
            if j == n.count { return i }
          }
          i += 1
        }
        return nil
      }
    }
  }

  /// `a; b="x; y"; c=d` → [`a`, `b="x; y"`, `c=d`], quotes kept.
  static func splitParameters(_ s: String) -> [String] {
    var out: [String] = []
    var current = ""
    var quoted = false
    var escaped = false
    for c in s {
      if escaped {
        current.append(c)
        escaped = false
        continue
      }
      if c == "\\" && quoted {
        current.append(c)
        escaped = true
        continue
      }
      if c == "\"" { quoted.toggle() }
      if c == ";" && !quoted {
        out.append(current.trimmingCharacters(in: .whitespaces))
        current = ""
      } else {
        current.append(c)
      }
    }
    out.append(current.trimmingCharacters(in: .whitespaces))
    return out.filter { !$0.isEmpty }
  }

  /// `name="a\"b"` → (`name`, `a"b`).
  static func keyValue(_ p: String) -> (String, String?) {
    guard let eq = p.firstIndex(of: "=") else { return (p.lowercased(), nil) }
    let key = p[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
    var v = Substring(p[p.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
    if v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") {
      v = String(v.dropFirst().dropLast())
      var out = ""
      var escaped = false
      for c in v {
        if escaped {
          out.append(c)
          escaped = false
        } else if c == "\\" {
          escaped = true
        } else {
          out.append(c)
        }
      }
      v = out
    }
    return (key, v)
  }
}
