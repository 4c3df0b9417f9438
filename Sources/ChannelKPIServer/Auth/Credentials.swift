import Crypto
import Foundation
import HummingbirdBcrypt

/// Secrets and their hashes: random tokens for keys and sessions (stored as SHA-256), bcrypt for
/// passwords, and comparisons that take the same time whatever they compare.
public enum Credentials {
  /// The bcrypt cost of new password hashes (12 unless a test lowers it).
  nonisolated(unsafe) public static var bcryptCost: UInt8 = 12

  /// 32 random bytes as 64 hex digits, from the system's secure generator.
  public static func randomToken() -> String {
    var g = SystemRandomNumberGenerator()
    return hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &g) })
  }

  /// Bytes as lowercase hex digits (every request hashes its credentials: no `String(format:)`).
  static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// A new API key's secret, recognisable by its prefix.
  public static func newKey() -> String { "ckpi_" + randomToken() }

  /// The SHA-256 of a secret, as hex: what the store keeps of keys and sessions.
  public static func hash(_ secret: String) -> String {
    hex(SHA256.hash(data: Data(secret.utf8)))
  }

  /// The CSRF token of a session: derived from its secret token, so it is never stored, and
  /// not derivable from the stored hash.
  public static func csrfToken(session token: String) -> String { hash("csrf:" + token) }

  public static func hashPassword(_ password: String) -> String { Bcrypt.hash(password, cost: bcryptCost) }

  public static func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

  /// Whether two strings are equal, in a time that depends on their lengths only.
  public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in x.indices { diff |= x[i] ^ y[i] }
    return diff == 0
  }

  /// The rules a new password must follow; nil when it does.
  public static func passwordProblem(_ password: String) -> String? {
    if password.count < 12 { return "a password needs at least 12 characters" }
    if password.utf8.count > 72 { return "a password has at most 72 bytes in UTF-8 (bcrypt reads no further)" }
    return nil
  }

  /// A readable random password for demo users and resets: 4 groups of 4 letters and digits.
  public static func generatePassword() -> String {
    let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
    var g = SystemRandomNumberGenerator()
    return (0..<4).map { _ in String((0..<4).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] }) }
      .joined(separator: "-")
  }
}
