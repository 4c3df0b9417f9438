/// The kinds of scope KPIs are computed for.
public enum ScopeKind: String, CaseIterable, Sendable, Codable {
  case network, partner, type, region, tier
}

/// A set of partners: one partner, all partners of a type, region or tier, or the whole network.
public struct Scope: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let kind: ScopeKind
  /// The partner id, type, region or tier; nil for the network.
  public let value: String?

  public init(_ kind: ScopeKind, _ value: String? = nil) {
    self.kind = kind
    self.value = kind == .network ? nil : value
  }

  public static let network = Scope(.network)

  /// Parses `network`, `partner:ID`, `type:X`, `region:X`, `tier:X`.
  public init?(_ text: String) {
    if text == "network" {
      self.init(.network)
      return
    }
    guard let colon = text.firstIndex(of: ":"), let kind = ScopeKind(rawValue: String(text[..<colon])),
      kind != .network
    else { return nil }
    let v = String(text[text.index(after: colon)...])
    guard !v.isEmpty else { return nil }
    self.init(kind, v)
  }

  public var description: String { value.map { "\(kind.rawValue):\($0)" } ?? "network" }

  public static func < (a: Scope, b: Scope) -> Bool {
    if a.kind != b.kind {
      return ScopeKind.allCases.firstIndex(of: a.kind)! < ScopeKind.allCases.firstIndex(of: b.kind)!
    }
    return (a.value ?? "").utf8.lexicographicallyPrecedes((b.value ?? "").utf8)
  }
}

/// What to compute: which KPIs, for which scopes, at which grain, over which periods.
public struct ComputeRequest: Sendable, Hashable {
  /// KPI ids; empty means every KPI of the catalog.
  public var kpis: [String]
  public var by: ScopeKind
  public var grain: Grain
  /// First and last period; nil means the periods the data covers.
  public var from: Period?
  public var to: Period?
  /// Only these scopes (of kind `by`); nil means all of them.
  public var scopes: [Scope]?
  /// Which of the catalogs compiled together defines the KPIs (0: the main one).
  public var variant: Int
  /// Compute scopes that name no partner over no partners (0 for sums, nil for rates) instead of
  /// refusing them: for definitions written before their partners exist (a target for a region
  /// still to be recruited), not for what a person asked for.
  public var allowsEmptyScopes = false

  public init(
    kpis: [String] = [], by: ScopeKind = .network, grain: Grain = .quarter, from: Period? = nil, to: Period? = nil,
    scopes: [Scope]? = nil, variant: Int = 0
  ) {
    self.kpis = kpis
    self.by = by
    self.grain = grain
    self.from = from
    self.to = to
    self.scopes = scopes
    self.variant = variant
  }
}

/// The values of a computation, held densely: KPI × scope × period.
public struct ComputeResult: Sendable {
  public let kpis: [String]
  public let scopes: [Scope]
  public let periods: [Period]
  /// `values[(k * scopes.count + s) * periods.count + p]`.
  public let values: [Double?]

  public func value(kpi k: Int, scope s: Int, period p: Int) -> Double? {
    values[(k * scopes.count + s) * periods.count + p]
  }

  /// One row per KPI, scope and period, ordered by KPI (as requested), scope, period.
  public var rows: [KPIValue] {
    var out: [KPIValue] = []
    out.reserveCapacity(values.count)
    for k in kpis.indices {
      for s in scopes.indices {
        for p in periods.indices {
          out.append(
            KPIValue(kpi: kpis[k], scope: scopes[s], period: periods[p], value: value(kpi: k, scope: s, period: p)))
        }
      }
    }
    return out
  }
}

/// The value of one KPI for one scope and period; nil when it has none.
public struct KPIValue: Hashable, Sendable {
  public let kpi: String
  public let scope: Scope
  public let period: Period
  public let value: Double?

  public init(kpi: String, scope: Scope, period: Period, value: Double?) {
    self.kpi = kpi
    self.scope = scope
    self.period = period
    self.value = value
  }
}

/// Why a computation cannot run.
public struct ComputeError: Error, Hashable, Sendable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

extension Scope {
  /// Why the scope names no partner of `partners`, naming the unknown value and the likely
  /// spelling; nil when the network or a scope some partner belongs to.
  /// Without `hint`, no other value is named (for callers who may not learn of other partners).
  public func unknown(among partners: [PartnerInfo], hint: Bool = true) -> String? {
    guard kind != .network, !partners.contains(where: { $0.scope(kind) == self }) else { return nil }
    let value = value ?? ""
    // A likely spelling among the known values, for values short enough to compare.
    let hint =
      !hint || value.count > 100
      ? "" : Spelling.hint(for: value, in: Set(partners.compactMap { $0.scope(kind)?.value }).sorted())
    return kind == .partner ? "no partner '\(value)'\(hint)" : "no partner has the \(kind.rawValue) '\(value)'\(hint)"
  }
}
