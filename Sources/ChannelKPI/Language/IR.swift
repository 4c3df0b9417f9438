/// The unit of an exact (integer) row value, and how it converts to the reported number.
enum ExactUnit: Hashable, Sendable {
  /// Cents, reported in currency units.
  case money
  /// Plain integers: counts, ints, days.
  case plain
  /// Microseconds, reported in hours.
  case microHours

  var divisor: Double {
    switch self {
    case .money: 100
    case .plain: 1
    case .microHours: 3_600_000_000
    }
  }
}

/// The type of a row-level value.
enum RowType: Hashable, Sendable {
  case exact(ExactUnit)
  case real
  case bool
  case day
  case month
  case timestamp
  case code(domain: String)

  var isNumber: Bool {
    switch self {
    case .exact, .real: true
    default: false
    }
  }

  /// Whether the engine holds the value in an integer register (everything but reals and booleans).
  var isInteger: Bool {
    switch self {
    case .real, .bool: false
    default: true
    }
  }

  var word: String {
    switch self {
    case .exact(.money): "an amount of money"
    case .exact(.microHours): "a duration in hours"
    case .exact(.plain): "a number"
    case .real: "a number"
    case .bool: "a condition (true or false)"
    case .day: "a date"
    case .month: "a month"
    case .timestamp: "a date-time"
    case .code(let d): "a text (\(d))"
    }
  }
}

enum CompareOp: String, Hashable, Sendable {
  case eq, ne, lt, le, gt, ge
}

enum ArithOp: Hashable, Sendable {
  case add, sub, mul, div
}

/// A typed expression over one row (of a fact table, or of `partners` at query time).
indirect enum RowExpr: Hashable, Sendable {
  case column(Int)
  case int(Int64)
  case real(Double)
  case bool(Bool)
  /// A text literal of a dictionary domain; bound to a code by the engine.
  case text(String, domain: String)
  /// Integer arithmetic on values of one exact unit, days or date offsets; absent propagates.
  case intArith(ArithOp, RowExpr, RowExpr)
  /// Real arithmetic; division by zero is absent.
  case realArith(ArithOp, RowExpr, RowExpr)
  /// An integer value as a real in its reported unit (cents → currency, µs → hours).
  case toReal(RowExpr, divisor: Double)
  case negate(RowExpr, integer: Bool)
  case compare(CompareOp, RowExpr, RowExpr, integer: Bool)
  case and(RowExpr, RowExpr)
  case or(RowExpr, RowExpr)
  case not(RowExpr)
  case present(RowExpr)
  case inList(RowExpr, [RowExpr])
  /// Membership of a code in a set built from another table.
  case inSet(RowExpr, set: Int)
  /// The UTC day number of a timestamp.
  case utcDay(RowExpr)
  /// The month index of a day.
  case monthOf(RowExpr)
  case ifThen(RowExpr, RowExpr, RowExpr, integer: Bool)
  case least([RowExpr], integer: Bool)
  case greatest([RowExpr], integer: Bool)
  case coalesce([RowExpr], integer: Bool)
  case abs(RowExpr, integer: Bool)
  // Only at query time, over partners:
  case periodStart
  case periodEnd
  /// Whether a day, month or timestamp (as a UTC day) falls in the period.
  case inPeriod(RowExpr, isMonth: Bool)
  /// The value of a measure for the current partner and period (real, absent when it has none).
  case measure(Int)

  /// The expressions this one is built from.
  var children: [RowExpr] {
    switch self {
    case .column, .int, .real, .bool, .text, .periodStart, .periodEnd, .measure: []
    case .intArith(_, let a, let b), .realArith(_, let a, let b), .compare(_, let a, let b, _), .and(let a, let b),
      .or(let a, let b):
      [a, b]
    case .toReal(let a, _), .negate(let a, _), .not(let a), .present(let a), .inSet(let a, _), .utcDay(let a),
      .monthOf(let a), .abs(let a, _), .inPeriod(let a, _):
      [a]
    case .inList(let a, let l): [a] + l
    case .ifThen(let a, let b, let c, _): [a, b, c]
    case .least(let l, _), .greatest(let l, _), .coalesce(let l, _): l
    }
  }

  /// Whether the expression reads the period or a per-partner measure.
  var isPeriodDependent: Bool {
    switch self {
    case .periodStart, .periodEnd, .inPeriod, .measure: true
    default: children.contains { $0.isPeriodDependent }
    }
  }

  /// Whether the expression reads the period other than through a measure.
  var dependsOnPeriodOutsideMeasures: Bool {
    switch self {
    case .measure: false
    case .periodStart, .periodEnd, .inPeriod: true
    default: children.contains { $0.dependsOnPeriodOutsideMeasures }
    }
  }

  /// Calls `body` with every column the expression reads.
  func visitColumns(_ body: (Int) -> Void) {
    if case .column(let c) = self { body(c) }
    for child in children { child.visitColumns(body) }
  }

  /// Calls `body` with every set membership test and its left side.
  func visitSets(_ body: (Int, RowExpr) -> Void) {
    if case .inSet(let a, let s) = self { body(s, a) }
    for child in children { child.visitSets(body) }
  }
}

/// The day a state is measured on.
enum StateDay: Hashable, Sendable {
  /// The period's last day.
  case end
  /// The day before the period's first day.
  case beforeStart
}

/// How the facts of a measure are attributed to periods.
enum TimeForm: Hashable, Sendable {
  /// Every fact, whatever the period.
  case allTime
  /// Facts whose date (a day, month or timestamp's UTC day) is in the period.
  case dated(RowExpr)
  /// Facts active on a day: `from ≤ day < until` (until absent = still active).
  case state(from: RowExpr, until: RowExpr?, on: StateDay)
  /// Facts active both on the day before the period and on its last day.
  case stateThrough(from: RowExpr, until: RowExpr?)
  /// Rows of `partners`, evaluated per partner and period (conditions may read the period).
  case perPeriod
}

/// The aggregate functions measures are built from (a mean is a sum over a count).
enum AggregateFunction: String, Hashable, Sendable {
  case count, sum, min, max, countDistinct = "count_distinct"
}

/// One aggregate over one table, stored per partner (or per region for `market`) and merged per scope.
struct MeasureSpec: Hashable, Sendable {
  var table: CanonicalTable
  var function: AggregateFunction
  /// The aggregated value; `nil` counts rows.
  var value: RowExpr?
  var valueType: RowType?
  var filter: RowExpr?
  var time: TimeForm
}

/// A set of codes collected from one column of a table (`x in (leads.deal_id where …)`).
struct SetSpec: Hashable, Sendable {
  var table: CanonicalTable
  var value: RowExpr
  var domain: String
  var filter: RowExpr?
}

/// A scope-level expression: the arithmetic over measures that gives a KPI's value.
indirect enum ScopeExpr: Hashable, Sendable {
  case number(Double)
  case measure(Int)
  case arith(ArithOp, ScopeExpr, ScopeExpr)
  case negate(ScopeExpr)
  case compare(CompareOp, ScopeExpr, ScopeExpr)
  case and(ScopeExpr, ScopeExpr)
  case or(ScopeExpr, ScopeExpr)
  case not(ScopeExpr)
  case present(ScopeExpr)
  case ifThen(ScopeExpr, ScopeExpr, ScopeExpr)
  case least([ScopeExpr])
  case greatest([ScopeExpr])
  case coalesce([ScopeExpr])
  case abs(ScopeExpr)
  /// The expression over the `months` calendar months ending with the period's last month.
  case trailing(Int32, ScopeExpr)
}

/// A catalog checked and compiled into measures and scope expressions.
public struct CompiledCatalog: Sendable {
  public let catalog: Catalog
  let measures: [MeasureSpec]
  let sets: [SetSpec]
  /// Per KPI of the main catalog.
  let expressions: [String: ScopeExpr]
  /// Per KPI, for each variant (variant 0 is the main catalog).
  let variants: [[String: ScopeExpr]]
  public let variantCatalogs: [Catalog]
  /// Per measure, the aggregate it was compiled from, as written (for explanations).
  let measureLabels: [String]

  public var kpis: [KPIDefinition] { catalog.kpis }

  /// The number of catalogs compiled together.
  public var variantCount: Int { variants.count }
}
