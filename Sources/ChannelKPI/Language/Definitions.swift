/// Whether higher or lower values of a KPI are better.
public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
  case higher, lower
}

/// The partner-lifecycle stages KPIs are grouped by.
public enum LifecycleStage: String, Sendable, Hashable, Codable, CaseIterable {
  case recruit, onboard, enable, market, sell, accelerate, strategize, incentivize
}

/// What a KPI's number measures, for formatting and for readers.
public enum KPIUnit: String, Sendable, Hashable, Codable, CaseIterable {
  case money, rate, count, days, hours, score, number
  case moneyPerDay = "money_per_day"
  case countPerPartner = "count_per_partner"
}

/// A named expression used inside one KPI definition (`let:` in YAML).
public struct NamedFormula: Sendable, Hashable {
  public var name: String
  public var formula: String
  public init(name: String, formula: String) {
    self.name = name
    self.formula = formula
  }
}

/// A KPI: metadata plus a formula in the KPI language.
public struct KPIDefinition: Sendable, Hashable {
  public var id: String
  public var name: String
  public var family: String
  public var unit: KPIUnit
  public var better: Direction
  public var stages: [LifecycleStage]
  public var description: String
  public var formula: String
  public var lets: [NamedFormula]
  /// The lowest value the KPI can take (0 for counts and sums, −100 for NPS), when it has one.
  public var minimum: Double?
  /// The highest value the KPI can take (1 for a share, 5 for a 1–5 rating), when it has one.
  public var maximum: Double?

  public init(
    id: String, name: String, family: String, unit: KPIUnit, better: Direction, stages: [LifecycleStage],
    description: String = "", formula: String, lets: [NamedFormula] = [], minimum: Double? = nil,
    maximum: Double? = nil
  ) {
    self.id = id
    self.name = name
    self.family = family
    self.unit = unit
    self.better = better
    self.stages = stages
    self.description = description
    self.formula = formula
    self.lets = lets
    self.minimum = minimum
    self.maximum = maximum
  }

  /// `value` moved inside the KPI's minimum and maximum, so a target derived from a rule never asks
  /// for what the KPI cannot be (a win rate above 100%, a sales cycle below 0 days).
  public func clamped(_ value: Double) -> Double {
    var v = value
    if let maximum, v > maximum { v = maximum }
    if let minimum, v < minimum { v = minimum }
    return v
  }

  /// Whether `value` is one the KPI can take.
  public func allows(_ value: Double) -> Bool {
    (minimum.map { value >= $0 } ?? true) && (maximum.map { value <= $0 } ?? true)
  }
}

/// A per-partner value derived from all of the partner's facts (e.g. the day of its first won deal),
/// usable as a field of `partners` in formulas.
public struct PartnerFactDefinition: Sendable, Hashable {
  public var name: String
  public var description: String
  public var formula: String
  public init(name: String, description: String = "", formula: String) {
    self.name = name
    self.description = description
    self.formula = formula
  }
}

/// A set of KPI definitions and partner facts.
public struct Catalog: Sendable, Hashable {
  public var kpis: [KPIDefinition]
  public var partnerFacts: [PartnerFactDefinition]

  public init(kpis: [KPIDefinition] = [], partnerFacts: [PartnerFactDefinition] = []) {
    self.kpis = kpis
    self.partnerFacts = partnerFacts
  }

  /// This catalog with the KPIs and partner facts of `other` added, replacing those with the same id.
  public func merging(_ other: Catalog) -> Catalog {
    var out = self
    for k in other.kpis {
      if let i = out.kpis.firstIndex(where: { $0.id == k.id }) { out.kpis[i] = k } else { out.kpis.append(k) }
    }
    for f in other.partnerFacts {
      if let i = out.partnerFacts.firstIndex(where: { $0.name == f.name }) {
        out.partnerFacts[i] = f
      } else {
        out.partnerFacts.append(f)
      }
    }
    return out
  }

  public func kpi(_ id: String) -> KPIDefinition? { kpis.first { $0.id == id } }
}

/// Where in a catalog a language error was found.
public struct DefinitionError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The KPI id or partner fact name.
  public var definition: String
  /// `formula`, `let NAME` or `partner fact`.
  public var part: String
  public var error: LanguageError

  public init(definition: String, part: String, error: LanguageError) {
    self.definition = definition
    self.part = part
    self.error = error
  }

  public var description: String { "\(definition) (\(part)) \(error)" }
}
