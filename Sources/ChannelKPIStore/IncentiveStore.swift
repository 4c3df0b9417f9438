public import ChannelKPI
import Foundation

/// A partner's `tier` attribute written from its evaluated level by `tiers apply`, with why.
public struct TierApplication: Sendable, Hashable {
  public var partner: String
  public var previous: String?
  public var level: String
  /// The evaluation that decided it.
  public var period: Period
  public var reason: String
  public var appliedAt: String

  public init(partner: String, previous: String?, level: String, period: Period, reason: String, appliedAt: String) {
    self.partner = partner
    self.previous = previous
    self.level = level
    self.period = period
    self.reason = reason
    self.appliedAt = appliedAt
  }
}

/// Why an approval cannot be stored or revoked.
public enum ApprovalError: Error, Sendable, Hashable, CustomStringConvertible {
  case alreadyApproved(partner: String, period: String)
  case noApproval(id: Int64)
  case alreadyRevoked(id: Int64)

  public var description: String {
    switch self {
    case .alreadyApproved(let p, let period):
      "the statement of \(p) for \(period) is already approved; an approved statement never changes (an admin can revoke a wrong approval)"
    case .noApproval(let id): "there is no approval \(id)"
    case .alreadyRevoked(let id): "approval \(id) is already revoked"
    }
  }
}

/// Persistence of what incentives decide: statement approvals, the tier attributes a ladder
/// started from, and levels written back to partners.
public protocol IncentiveStore: Sendable {
  /// Stores approvals in one transaction: all or none (`ApprovalError.alreadyApproved` when a
  /// statement already has a current approval). Returns their ids.
  func approveStatements(_ approvals: [StatementApproval]) async throws -> [Int64]
  /// Every approval, revoked ones included, oldest first.
  func statementApprovals() async throws -> [StatementApproval]
  /// Marks an approval revoked, with who, when and why; it stays on record.
  func revokeApproval(id: Int64, by: String, at: String, reason: String) async throws
  /// Records partners' tier attributes as the ladder's starting point, for the partners not yet
  /// recorded (a recorded one keeps its first record); returns how many were added.
  func recordTierBaseline(_ tiers: [String: String?], at: String) async throws -> Int
  /// The recorded tier attributes (empty before any ladder).
  func tierBaseline() async throws -> [String: String?]
  /// Records a manager's override of a partner's level (with who set it and why).
  func addTierOverride(_ override: TierOverride) async throws
  /// Every override, oldest first.
  func tierOverrides() async throws -> [TierOverride]
  /// Logs levels written back to partners.
  func recordTierApplications(_ applications: [TierApplication]) async throws
  func tierApplications() async throws -> [TierApplication]
}

/// The JSON form of approved lines: rationals as `n/d`, exact.
struct StoredLine: Codable {
  var plan: String
  var kind: String?
  var line: String
  var basis: String?
  var rate: String?
  var amount: Int64
  var version: Int?
  var corrects: String?

  init(_ l: StatementLine) {
    plan = l.plan
    kind = l.kind?.rawValue
    line = l.line
    basis = l.basis?.description
    rate = l.rate?.description
    amount = l.amount
    version = l.version
    corrects = l.corrects?.description
  }

  var statementLine: StatementLine {
    var l = StatementLine(
      plan: plan, kind: kind.flatMap(IncentiveKind.init(rawValue:)), line: line, basis: basis.flatMap(Self.rational),
      rate: rate.flatMap(Self.rational), amount: amount, version: version)
    l.corrects = corrects.flatMap(Period.init)
    return l
  }

  static func rational(_ s: String) -> Rational? {
    let parts = s.split(separator: "/")
    guard let first = parts.first, let n = Int128(String(first)) else { return nil }
    guard parts.count == 2 else { return Rational(n) }
    guard let d = Int128(String(parts[1])), d != 0 else { return nil }
    return Rational(n, d)
  }

  static func encode(_ lines: [StatementLine]) throws -> String { try StoredJSON.encode(lines.map(StoredLine.init)) }
  static func decode(_ text: String) -> [StatementLine] {
    StoredJSON.decode([StoredLine].self, text, fallback: []).map(\.statementLine)
  }
}

extension Store {
  /// Records the partners' current `tier` attributes as the ladder's starting point when
  /// definitions with a ladder are applied (partners recorded before keep their record), so that
  /// writing levels back later (`tiers apply`) never rewrites the history that led to them.
  public func recordTierBaselineIfNeeded(for definitions: ProgramDefinitions, at: String) async throws {
    guard definitions.tiers != nil else { return }
    _ = try await recordTierBaseline(try await partnerTiers(), at: at)
  }

  /// After partners are imported into a program with a ladder, records the `tier` attribute of
  /// those not recorded yet: the level they start from, whatever later imports write.
  public func recordNewPartnersInTierBaseline(at: String) async throws {
    guard !(try await tierBaseline().isEmpty) else { return }
    _ = try await recordTierBaseline(try await partnerTiers(), at: at)
  }

  /// Every partner's current `tier` attribute.
  public func partnerTiers() async throws -> [String: String?] {
    let tiers = Locked([String: String?]())
    try await forEachRow(of: [.partners]) { r in
      guard let id = r["partner_id"].string else { return }
      tiers.withLock { $0[id] = r["tier"].string }
    }
    return tiers.withLock { $0 }
  }
}
