/// The syntax tree of a KPI formula, before names are resolved.
indirect enum Syntax: Hashable, Sendable {
  case number(Double, SourceRange)
  case text(String, SourceRange)
  case name(String, SourceRange)
  /// `table.field` (only meaningful as the head of an aggregate or a set).
  case member(String, String, SourceRange)
  case negate(Syntax, SourceRange)
  case not(Syntax, SourceRange)
  case binary(BinaryOperator, Syntax, Syntax, SourceRange)
  case call(String, [Syntax], SourceRange)
  case aggregate(AggregateSyntax)
  case presence(Syntax, present: Bool, SourceRange)
  case inPeriod(Syntax, SourceRange)
  case inList(Syntax, [Syntax], negated: Bool, SourceRange)
  case inSet(Syntax, AggregateSyntax, negated: Bool, SourceRange)

  var range: SourceRange {
    switch self {
    case .number(_, let r), .text(_, let r), .name(_, let r), .member(_, _, let r), .negate(_, let r),
      .not(_, let r), .binary(_, _, _, let r), .call(_, _, let r), .presence(_, _, let r),
      .inPeriod(_, let r), .inList(_, _, _, let r), .inSet(_, _, _, let r):
      return r
    case .aggregate(let a): return a.range
    }
  }
}

/// `fn(head [from table] [where condition])`.
struct AggregateSyntax: Hashable, Sendable {
  var function: String
  /// A table name, `table.field`, or a value expression when `from` is given.
  var head: Syntax
  var from: (String, SourceRange)?
  var condition: Syntax?
  var range: SourceRange

  static func == (a: AggregateSyntax, b: AggregateSyntax) -> Bool {
    a.function == b.function && a.head == b.head && a.from?.0 == b.from?.0 && a.condition == b.condition
      && a.range == b.range
  }
  func hash(into h: inout Hasher) {
    h.combine(function)
    h.combine(head)
    h.combine(from?.0)
    h.combine(condition)
  }
}

/// Binary operators of the language.
enum BinaryOperator: String, Hashable, Sendable {
  case add = "+", subtract = "-", multiply = "*", divide = "/"
  case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
  case and, or

  var isComparison: Bool {
    switch self {
    case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: true
    default: false
    }
  }
  var isArithmetic: Bool { self == .add || self == .subtract || self == .multiply || self == .divide }
}
