import Foundation

/// How sign-ins and sessions behave: lifetimes, throttles, and whether to believe a proxy.
public struct AuthPolicy: Sendable {
  /// A session unused this long (seconds) ends.
  public var idleTimeout: Int64 = 60 * 60
  /// A session ends this long (seconds) after sign-in, however much it is used.
  public var absoluteTimeout: Int64 = 12 * 60 * 60
  /// Failed sign-ins of one account within `throttleWindow` before it is refused for a while.
  public var failuresPerAccount = 5
  /// Failed sign-ins from one address within `throttleWindow` before it is refused for a while.
  public var failuresPerAddress = 20
  public var throttleWindow: Int64 = 15 * 60
  /// Read the client's address and scheme from `X-Forwarded-For` and `X-Forwarded-Proto` (only
  /// behind a proxy that sets them).
  public var trustProxy = false
  /// The clock, in seconds since 1970 (tests move it).
  public var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
  /// Identities of keys and sessions looked up this second (shared by the copies of a policy).
  let credentials = CredentialCache()

  public init() {}

  /// The cookie that carries a browser's session.
  static let sessionCookie = "ckpi_session"
  /// The cookie of the sign-in form's CSRF token (before there is a session).
  static let loginCookie = "ckpi_login"
  /// Last-used times are written at most this often (seconds), so reads stay reads.
  static let touchInterval: Int64 = 60
}

/// Times written in the audit log and in user and key records.
public enum Timestamp {
  /// Seconds since 1970 as ISO 8601 in UTC.
  public static func iso(_ seconds: Int64) -> String {
    ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
  }
}
