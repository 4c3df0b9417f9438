extension RowExpr {
  /// The expression with every text literal replaced by `f(text, domain)`.
  func mapTexts(_ f: (String, String) -> RowExpr) -> RowExpr {
    func m(_ x: RowExpr) -> RowExpr { x.mapTexts(f) }
    switch self {
    case .text(let s, let d): return f(s, d)
    case .column, .int, .real, .bool, .periodStart, .periodEnd, .measure: return self
    case .intArith(let op, let a, let b): return .intArith(op, m(a), m(b))
    case .realArith(let op, let a, let b): return .realArith(op, m(a), m(b))
    case .compare(let op, let a, let b, let i): return .compare(op, m(a), m(b), integer: i)
    case .and(let a, let b): return .and(m(a), m(b))
    case .or(let a, let b): return .or(m(a), m(b))
    case .toReal(let a, let d): return .toReal(m(a), divisor: d)
    case .negate(let a, let i): return .negate(m(a), integer: i)
    case .not(let a): return .not(m(a))
    case .present(let a): return .present(m(a))
    case .inSet(let a, let s): return .inSet(m(a), set: s)
    case .utcDay(let a): return .utcDay(m(a))
    case .monthOf(let a): return .monthOf(m(a))
    case .abs(let a, let i): return .abs(m(a), integer: i)
    case .inPeriod(let a, let isMonth): return .inPeriod(m(a), isMonth: isMonth)
    case .inList(let a, let l): return .inList(m(a), l.map(m))
    case .ifThen(let a, let b, let c, let i): return .ifThen(m(a), m(b), m(c), integer: i)
    case .least(let l, let i): return .least(l.map(m), integer: i)
    case .greatest(let l, let i): return .greatest(l.map(m), integer: i)
    case .coalesce(let l, let i): return .coalesce(l.map(m), integer: i)
    }
  }
}
