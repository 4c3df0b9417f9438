/// A measure as a KPI reads it: one aggregate, maybe over the trailing months of the period.
struct MeasureTerm: Hashable, Sendable {
  var measure: Int
  var trailing: Int32?

  var expression: ScopeExpr { trailing.map { .trailing($0, .measure(measure)) } ?? .measure(measure) }
}

/// The shape of a KPI's formula, which decides how a change of it is split.
enum KPIForm: Sendable {
  /// scale × Σ cᵢ·mᵢ: a sum or count (or a difference of them).
  case sum([(MeasureTerm, Double)], scale: Double)
  /// scale × N / D with N and D sums: a rate, a mean, a share.
  case ratio(numerator: [(MeasureTerm, Double)], denominator: [(MeasureTerm, Double)], scale: Double)
  /// Anything else (products and quotients of several measures, conditions): the measures it reads,
  /// and when it is a product of powers of them, the powers.
  case composite(terms: [MeasureTerm], powers: [MeasureTerm: Double]?)

  /// Reads a compiled formula. `additive` says whether a measure adds up over facts (sums and
  /// counts; not minimums or maximums).
  static func of(_ e: ScopeExpr, additive: (Int) -> Bool) -> KPIForm {
    if let l = linear(e, trailing: nil, additive) { return .sum(l.terms, scale: l.scale) }
    if let r = ratio(e, trailing: nil, additive) {
      return .ratio(numerator: r.n, denominator: r.d, scale: r.scale)
    }
    var terms: [MeasureTerm] = []
    collect(e, trailing: nil, into: &terms)
    var powers: [MeasureTerm: Double] = [:]
    var scale = 1.0
    let isMonomial = monomial(e, trailing: nil, exponent: 1, powers: &powers, scale: &scale)
    return .composite(terms: terms, powers: isMonomial ? powers.filter { $0.value != 0 } : nil)
  }

  private static func linear(_ e: ScopeExpr, trailing: Int32?, _ additive: (Int) -> Bool) -> (
    terms: [(MeasureTerm, Double)], scale: Double
  )? {
    func scaled(_ x: ScopeExpr, _ k: Double) -> ([(MeasureTerm, Double)], Double)? {
      guard let l = linear(x, trailing: trailing, additive) else { return nil }
      return (l.terms, l.scale * k)
    }
    switch e {
    case .measure(let i):
      return additive(i) ? ([(MeasureTerm(measure: i, trailing: trailing), 1)], 1) : nil
    case .trailing(let n, let x):
      return trailing == nil ? linear(x, trailing: n, additive) : nil
    case .negate(let x):
      return scaled(x, -1)
    case .arith(.mul, .number(let c), let x), .arith(.mul, let x, .number(let c)):
      return scaled(x, c)
    case .arith(.div, let x, .number(let c)) where c != 0:
      return scaled(x, 1 / c)
    case .arith(let op, let a, let b) where op == .add || op == .sub:
      guard let x = linear(a, trailing: trailing, additive), let y = linear(b, trailing: trailing, additive) else {
        return nil
      }
      // Both sides carry their own scale; fold them into the coefficients.
      let sign = op == .add ? 1.0 : -1.0
      return (x.terms.map { ($0.0, $0.1 * x.scale) } + y.terms.map { ($0.0, $0.1 * y.scale * sign) }, 1)
    default:
      return nil
    }
  }

  private static func ratio(_ e: ScopeExpr, trailing: Int32?, _ additive: (Int) -> Bool) -> (
    n: [(MeasureTerm, Double)], d: [(MeasureTerm, Double)], scale: Double
  )? {
    switch e {
    case .arith(.div, let a, let b):
      guard let n = linear(a, trailing: trailing, additive), let d = linear(b, trailing: trailing, additive),
        d.scale != 0
      else { return nil }
      return (n.terms, d.terms, n.scale / d.scale)
    case .trailing(let n, let x):
      return trailing == nil ? ratio(x, trailing: n, additive) : nil
    case .arith(.mul, .number(let c), let x), .arith(.mul, let x, .number(let c)):
      return ratio(x, trailing: trailing, additive).map { ($0.n, $0.d, $0.scale * c) }
    case .negate(let x):
      return ratio(x, trailing: trailing, additive).map { ($0.n, $0.d, -$0.scale) }
    default:
      return nil
    }
  }

  private static func collect(_ e: ScopeExpr, trailing: Int32?, into terms: inout [MeasureTerm]) {
    switch e {
    case .measure(let i):
      let t = MeasureTerm(measure: i, trailing: trailing)
      if !terms.contains(t) { terms.append(t) }
    case .trailing(let n, let x): collect(x, trailing: n, into: &terms)
    case .number: break
    case .arith(_, let a, let b), .compare(_, let a, let b), .and(let a, let b), .or(let a, let b):
      collect(a, trailing: trailing, into: &terms)
      collect(b, trailing: trailing, into: &terms)
    case .negate(let a), .not(let a), .present(let a), .abs(let a): collect(a, trailing: trailing, into: &terms)
    case .ifThen(let a, let b, let c):
      for x in [a, b, c] { collect(x, trailing: trailing, into: &terms) }
    case .least(let l), .greatest(let l), .coalesce(let l):
      for x in l { collect(x, trailing: trailing, into: &terms) }
    }
  }

  /// Whether the expression is a constant times a product of powers of measures.
  private static func monomial(
    _ e: ScopeExpr, trailing: Int32?, exponent: Double, powers: inout [MeasureTerm: Double], scale: inout Double
  ) -> Bool {
    switch e {
    case .measure(let i):
      powers[MeasureTerm(measure: i, trailing: trailing), default: 0] += exponent
      return true
    case .number(let c):
      guard c > 0 else { return false }
      scale *= exponent == 1 ? c : 1 / c
      return true
    case .trailing(let n, let x):
      return monomial(x, trailing: n, exponent: exponent, powers: &powers, scale: &scale)
    case .arith(.mul, let a, let b):
      return monomial(a, trailing: trailing, exponent: exponent, powers: &powers, scale: &scale)
        && monomial(b, trailing: trailing, exponent: exponent, powers: &powers, scale: &scale)
    case .arith(.div, let a, let b):
      return monomial(a, trailing: trailing, exponent: exponent, powers: &powers, scale: &scale)
        && monomial(b, trailing: trailing, exponent: -exponent, powers: &powers, scale: &scale)
    default:
      return false
    }
  }
}

/// Evaluates a compiled formula with given measure values, as the engine does for a scope.
enum FormulaValue {
  static func of(_ e: ScopeExpr, trailing: Int32? = nil, _ value: (MeasureTerm) -> Double?) -> Double? {
    func ev(_ x: ScopeExpr) -> Double? { of(x, trailing: trailing, value) }
    switch e {
    case .number(let v): return v
    case .measure(let i): return value(MeasureTerm(measure: i, trailing: trailing))
    case .trailing(let n, let x): return of(x, trailing: n, value)
    case .arith(let op, let a, let b):
      guard let x = ev(a), let y = ev(b) else { return nil }
      switch op {
      case .add: return x + y
      case .sub: return x - y
      case .mul: return x * y
      case .div: return y == 0 ? nil : x / y
      }
    case .negate(let a): return ev(a).map { -$0 }
    case .compare(let op, let a, let b):
      guard let x = ev(a), let y = ev(b) else { return nil }
      return op.holds(x, y) ? 1 : 0
    case .and(let a, let b):
      let x = ev(a)
      if x == 0 { return 0 }
      let y = ev(b)
      if y == 0 { return 0 }
      return x == nil || y == nil ? nil : 1
    case .or(let a, let b):
      let x = ev(a)
      if let x, x != 0 { return 1 }
      let y = ev(b)
      if let y, y != 0 { return 1 }
      return x == nil || y == nil ? nil : 0
    case .not(let a): return ev(a).map { $0 == 0 ? 1 : 0 }
    case .present(let a): return ev(a) == nil ? 0 : 1
    case .ifThen(let c, let a, let b):
      guard let x = ev(c) else { return nil }
      return x != 0 ? ev(a) : ev(b)
    case .least(let l): return l.compactMap { ev($0) }.min()
    case .greatest(let l): return l.compactMap { ev($0) }.max()
    case .coalesce(let l):
      for x in l { if let v = ev(x) { return v } }
      return nil
    case .abs(let a): return ev(a).map { Swift.abs($0) }
    }
  }
}
