import ChannelKPI
import ChannelKPIStore
import Crypto
import Foundation

/// What a webhook receives: the alert change (or a test), signed with the webhook's secret.
enum WebhookPayload {
  /// The JSON body, the same for every attempt of a delivery.
  struct Body: Codable {
    /// `alert.firing`, `alert.resolved` or `test`.
    var kind: String
    var delivery: Int64
    var alert: Alert?
    /// The alert's page on the dashboard, when the server knows its address.
    var link: String?

    struct Alert: Codable {
      var id: Int64
      var rule: String
      var scope: String
      var severity: String?
      var from: String
      var to: String
      var period: String
      var value: Double?
      var threshold: Double?
      var message: String
      var changedAt: String
    }
  }

  static func body(_ claimed: ClaimedDelivery, baseURL: String?) throws -> Data {
    // A queued body (a digest) is sent as it was written.
    if let payload = claimed.payload { return Data(payload.utf8) }
    var body = Body(kind: "test", delivery: claimed.delivery.id, alert: nil, link: nil)
    if let e = claimed.event {
      body.kind = "alert.\(e.to.rawValue)"
      body.alert = Body.Alert(
        id: e.alert, rule: e.rule, scope: e.scope, severity: claimed.severity?.rawValue, from: e.from.rawValue,
        to: e.to.rawValue, period: e.period, value: e.value, threshold: e.threshold, message: e.message,
        changedAt: e.at)
      body.link = baseURL.map { "\($0)/alerts/\(e.alert)" }
    }
    return Data(try JSONOutput.encode(body).utf8)
  }

  /// `sha256=` and the hex HMAC-SHA256 of the body under the secret.
  static func signature(_ body: Data, secret: String) -> String {
    let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
    return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
  }

  /// Seconds before the next attempt after `attempts` failed ones: 30 s, doubling, at most an hour.
  static func backoff(attempts: Int) -> Int64 {
    Int64(min(3_600, 30 << min(attempts - 1, 7)))
  }

  /// How long a delivery is tried before it is given up: about a day.
  static let giveUpAfter: Int64 = 86_400
}
