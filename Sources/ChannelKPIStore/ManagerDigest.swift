public import ChannelKPI
import Foundation

/// A channel manager's daily digest: the alerts firing on their partners, the alert changes of
/// the day before, and their partners at risk or inactive. Alerts of group scopes (a type, a
/// region, the network) go to the program's digest, named `program`.
public struct ManagerDigest: Sendable, Hashable, Codable {
  public var kind = "digest"
  /// The day it is for; its changes are those of the day before.
  public var day: String
  /// The manager (the partners' `manager` attribute), or `program`.
  public var manager: String
  /// The partners the manager looks after (0 for the program's digest).
  public var partners: Int
  public var firing: [Item]
  public var changes: [Item]
  public var attention: [Partner]

  public init(day: String, manager: String, partners: Int, firing: [Item], changes: [Item], attention: [Partner]) {
    self.day = day
    self.manager = manager
    self.partners = partners
    self.firing = firing
    self.changes = changes
    self.attention = attention
  }

  public struct Item: Sendable, Hashable, Codable {
    public var alert: Int64
    public var rule: String
    public var scope: String
    public var severity: String?
    /// The state it is in (firing), or the change (`pending → firing`).
    public var state: String
    public var period: String
    public var message: String
    public var link: String?
  }

  public struct Partner: Sendable, Hashable, Codable {
    public var partner: String
    public var name: String
    public var stage: String
    public var reason: String
    public var link: String?
  }

  /// The name of the program's digest (alerts of group scopes), which no manager's name can be
  /// mistaken for (its file name differs from a manager named "program").
  public static let program = "(program)"

  /// Whether there is anything to say.
  public var isEmpty: Bool { firing.isEmpty && changes.isEmpty && attention.isEmpty }

  /// The digests of `day`: one per manager with partners, and the program's.
  public static func build(
    day: Day, alerts: [StoredAlert], events: [AlertEvent], lifecycles: [PartnerLifecycle], partners: [PartnerInfo],
    baseURL: String?
  ) -> [ManagerDigest] {
    let managerOf = Dictionary(partners.map { ($0.id, $0.manager ?? "") }, uniquingKeysWith: { a, _ in a })
    func owner(_ scope: String) -> String {
      guard let s = Scope(scope), s.kind == .partner, let id = s.value, let m = managerOf[id], !m.isEmpty else {
        return program
      }
      return m
    }
    let severity = Dictionary(alerts.map { ($0.id, $0.severity.rawValue) }, uniquingKeysWith: { a, _ in a })
    func link(_ path: String) -> String? { baseURL.map { $0 + path } }
    let since = (day - 1).description + "T00:00:00"
    let until = day.description + "T00:00:00"
    var byManager: [String: ManagerDigest] = [:]
    func digest(_ m: String) -> ManagerDigest {
      byManager[m]
        ?? ManagerDigest(
          day: day.description, manager: m, partners: partners.filter { ($0.manager ?? "") == m && !m.isEmpty }.count,
          firing: [], changes: [], attention: [])
    }
    for a in alerts where a.state == .firing {
      var d = digest(owner(a.scope))
      d.firing.append(
        Item(
          alert: a.id, rule: a.rule, scope: a.scope, severity: a.severity.rawValue, state: a.state.rawValue,
          period: a.period, message: a.message, link: link("/alerts/\(a.id)")))
      byManager[d.manager] = d
    }
    for e in events where e.at >= since && e.at < until {
      var d = digest(owner(e.scope))
      d.changes.append(
        Item(
          alert: e.alert, rule: e.rule, scope: e.scope, severity: severity[e.alert],
          state: "\(e.from.rawValue) → \(e.to.rawValue)", period: e.period, message: e.message,
          link: link("/alerts/\(e.alert)")))
      byManager[d.manager] = d
    }
    let names = Dictionary(partners.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    for l in lifecycles where l.stage == .atRisk || l.stage == .inactive {
      guard let m = managerOf[l.partner], !m.isEmpty else { continue }
      var d = digest(m)
      d.attention.append(
        Partner(
          partner: l.partner, name: names[l.partner] ?? l.partner, stage: l.stage.rawValue, reason: l.reason,
          link: link("/partners/\(l.partner)")))
      byManager[m] = d
    }
    return byManager.values.sorted { $0.manager < $1.manager }
  }

  /// The digest as Markdown, for a file or a mail.
  public var text: String {
    var out = "# ChannelKPI digest for \(manager == Self.program ? "the program" : manager), \(day)\n\n"
    out +=
      "\(firing.count) alert\(firing.count == 1 ? "" : "s") firing, \(changes.count) change\(changes.count == 1 ? "" : "s") the day before, \(attention.count) partner\(attention.count == 1 ? "" : "s") at risk or inactive.\n"
    func line(_ i: Item) -> String {
      "- [\(i.severity ?? "alert")] \(i.rule), \(i.scope), \(i.period): \(i.message)"
        + (i.link.map { " (\($0))" } ?? "")
        + "\n"
    }
    if !firing.isEmpty { out += "\n## Firing\n\n" + firing.map(line).joined() }
    if !changes.isEmpty {
      out += "\n## Changed the day before\n\n"
      out += changes.map { "- \($0.state): " + line($0).dropFirst(2) }.joined()
    }
    if !attention.isEmpty {
      out += "\n## Partners at risk or inactive\n\n"
      out += attention.map {
        "- \($0.name) (\($0.partner)), \($0.stage.replacingOccurrences(of: "_", with: " ")): \($0.reason)"
          + ($0.link.map { " (\($0))" } ?? "") + "\n"
      }.joined()
    }
    return out
  }

  /// The file name of the digest in a directory: `digest-DAY-MANAGER.md`, the manager's name as
  /// it is when it is only lowercase letters, digits and `-`; otherwise lowercased with anything
  /// else as `-` and a short hash of the name, so that "Ann Lee" and "ann-lee" differ.
  public var fileName: String {
    var slug = ""
    for ch in manager.lowercased() {
      if ch.isASCII && (ch.isLetter || ch.isNumber) {
        slug.append(ch)
      } else if !slug.hasSuffix("-") && !slug.isEmpty {
        slug.append("-")
      }
    }
    while slug.hasSuffix("-") { slug.removeLast() }
    if slug != manager {
      // FNV-1a: the same name gives the same file every day and on every machine.
      var h: UInt32 = 2_166_136_261
      for b in manager.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
      slug += (slug.isEmpty ? "" : "-") + String(h, radix: 16)
    }
    return "digest-\(day)-\(slug).md"
  }

}

extension StoredAlert {
  /// The partners with a firing alert of their own (a partner scope): at risk in the lifecycle.
  public static func firingPartners(_ alerts: [StoredAlert]) -> Set<String> {
    Set(
      alerts.filter { $0.state == .firing }.compactMap { Scope($0.scope) }.filter { $0.kind == .partner }
        .compactMap(\.value))
  }
}

/// Where digests go: Markdown files in a directory, JSON posted to a webhook, or both.
public struct DigestTarget: Sendable, Hashable {
  public var directory: String?
  public var webhook: String?

  public init(directory: String?, webhook: String?) {
    self.directory = directory
    self.webhook = webhook
  }

  public var isSet: Bool { directory != nil || webhook != nil }

  /// Writes each digest that has something to say to the directory (`fileName`, replaced if it
  /// is there) and queues it for the webhook (signed and retried like alert changes). Returns the
  /// digests sent.
  @discardableResult
  public func deliver(_ digests: [ManagerDigest], store: any WebhookStore, now: Int64) async throws -> [ManagerDigest] {
    let sent = digests.filter { !$0.isEmpty }
    if let directory {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      for d in sent {
        try Data(d.text.utf8).write(
          to: URL(fileURLWithPath: directory).appendingPathComponent(d.fileName), options: .atomic)
      }
    }
    if let webhook {
      for d in sent { _ = try await store.queueDelivery(webhook: webhook, payload: try JSONOutput.encode(d), at: now) }
    }
    return sent
  }
}
