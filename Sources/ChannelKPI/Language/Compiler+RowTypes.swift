/// The types of row-level values: literals adapted to fields, numbers unified, comparisons and
/// arithmetic typed.
extension Compiler {
  func isAbsentName(_ s: Syntax) -> Bool {
    if case .name(let n, _) = s { return n == "absent" || n == "null" }
    return false
  }

  func columnType(_ c: Column) -> RowType {
    switch c.type {
    case .id, .slug, .text: .code(domain: c.domain)
    case .date: .day
    case .datetime: .timestamp
    case .money: .exact(.money)
    case .int: .exact(.plain)
    case .month: .month
    }
  }

  /// Gives a literal the type of the other side (a number of currency units becomes cents, a text a date…).
  func adapt(_ lit: Typed, to other: Typed, _ r: SourceRange) throws(LanguageError) -> Typed {
    guard let l = lit.literal else { return lit }
    switch (l, other.type) {
    case (.number(let v), .exact(let unit)):
      let scaled = v * unit.divisor
      if scaled == scaled.rounded(), Swift.abs(scaled) < 9e15 {
        return Typed(expr: .int(Int64(scaled)), type: other.type)
      }
      return Typed(expr: .real(v), type: .real, literal: nil)
    case (.number(let v), .real), (.number(let v), .bool):
      return Typed(expr: .real(v), type: .real)
    case (.number(let v), .day):
      // Bounded, so that converting it to Int64 cannot trap (a date ± a million days is already absurd).
      guard v == v.rounded(), Swift.abs(v) <= 1_000_000 else {
        throw LanguageError("a number of days must be whole, from -1000000 to 1000000", at: r)
      }
      return Typed(expr: .int(Int64(v)), type: .exact(.plain))
    case (.text(let s), .code(let domain)):
      if let vocab = vocabulary(domain), !vocab.contains(s) {
        throw LanguageError(
          "'\(s)' is not a possible value here; the values are \(vocab.joined(separator: ", "))", at: r)
      }
      return Typed(expr: .text(s, domain: domain), type: other.type)
    case (.text(let s), .day):
      guard let d = Day(iso: s) else { throw LanguageError("'\(s)' is not a date YYYY-MM-DD", at: r) }
      return Typed(expr: .int(Int64(d.number)), type: .day)
    case (.text(let s), .month):
      guard let m = Month(iso: s) else { throw LanguageError("'\(s)' is not a month YYYY-MM", at: r) }
      return Typed(expr: .int(Int64(m.index)), type: .month)
    case (.text(let s), .timestamp):
      guard let t = Timestamp(iso: s) else { throw LanguageError("'\(s)' is not a date-time", at: r) }
      return Typed(expr: .int(t.microseconds), type: .timestamp)
    case (.text(let s), _):
      throw LanguageError("the text '\(s)' cannot be compared with \(other.type.word)", at: r)
    case (.number, _):
      throw LanguageError("a number cannot be compared with \(other.type.word)", at: r)
    }
  }

  func vocabulary(_ domain: String) -> [String]? {
    for (table, columns) in RecordValidator.vocabularies {
      for (c, values) in columns where "\(table.rawValue).\(c)" == domain { return values }
    }
    return nil
  }

  func toReal(_ t: Typed) -> RowExpr {
    switch t.type {
    case .exact(let u): .toReal(t.expr, divisor: u.divisor)
    case .day, .month, .timestamp, .code: .toReal(t.expr, divisor: 1)
    default: t.expr
    }
  }

  func toRealTyped(_ t: Typed) -> Typed { Typed(expr: toReal(t), type: .real) }

  /// Brings two values to one type for comparison or choice.
  func unify(_ a0: Typed, _ b0: Typed, _ r: SourceRange) throws(LanguageError) -> (Typed, Typed) {
    var a = a0
    var b = b0
    if a.literal != nil && b.literal != nil {
      if case .number = a.literal, case .number = b.literal { return (a, b) }
      throw LanguageError("compare a field with a value, not two values", at: r)
    }
    if a.literal != nil { a = try adapt(a, to: b, r) }
    if b.literal != nil { b = try adapt(b, to: a, r) }
    if a.type == b.type { return (a, b) }
    switch (a.type, b.type) {
    case (.timestamp, .day): return (Typed(expr: .utcDay(a.expr), type: .day), b)
    case (.day, .timestamp): return (a, Typed(expr: .utcDay(b.expr), type: .day))
    case _ where a.type.isNumber && b.type.isNumber: return (toRealTyped(a), toRealTyped(b))
    default:
      throw LanguageError("\(a.type.word) cannot be compared with \(b.type.word)", at: r)
    }
  }

  func compare(_ op: CompareOp, _ a: Typed, _ b: Typed, _ r: SourceRange) throws(LanguageError) -> Typed {
    let (x, y) = try unify(a, b, r)
    if case .code = x.type, op != .eq, op != .ne {
      throw LanguageError("texts can only be compared with = or !=", at: r)
    }
    if x.type == .bool { throw LanguageError("conditions cannot be compared; use and, or, not", at: r) }
    return Typed(expr: .compare(op, x.expr, y.expr, integer: x.type.isInteger), type: .bool)
  }

  func arithmetic(_ op: BinaryOperator, _ a0: Typed, _ b0: Typed, _ r: SourceRange) throws(LanguageError)
    -> Typed
  {
    var a = a0
    var b = b0
    if case .number(let x) = a.literal, case .number(let y) = b.literal {
      let v: Double =
        switch op {
        case .add: x + y
        case .subtract: x - y
        case .multiply: x * y
        default: x / y
        }
      return Typed(expr: .real(v), type: .real, literal: .number(v))
    }
    let aop: ArithOp =
      switch op {
      case .add: .add
      case .subtract: .sub
      case .multiply: .mul
      default: .div
      }
    // Dates: day - day is a number of days, day ± days is a day, datetime - datetime is hours.
    if a.type == .day || b.type == .day || a.type == .timestamp || b.type == .timestamp {
      if a.type == .day, b.type == .day, op == .subtract {
        return Typed(expr: .intArith(.sub, a.expr, b.expr), type: .exact(.plain))
      }
      if a.type == .timestamp, b.type == .timestamp, op == .subtract {
        return Typed(expr: .intArith(.sub, a.expr, b.expr), type: .exact(.microHours))
      }
      if a.type == .day, op == .add || op == .subtract {
        b = try adapt(b, to: a, r)
        if b.type == .exact(.plain) { return Typed(expr: .intArith(aop, a.expr, b.expr), type: .day) }
      }
      if b.type == .day, op == .add {
        a = try adapt(a, to: b, r)
        if a.type == .exact(.plain) { return Typed(expr: .intArith(aop, a.expr, b.expr), type: .day) }
      }
      throw LanguageError(
        "dates can be subtracted (giving days) or shifted by a number of days; \(a.type.word) \(op.rawValue) \(b.type.word) is not possible",
        at: r)
    }
    guard a.type.isNumber || a.literal != nil, b.type.isNumber || b.literal != nil else {
      throw LanguageError("arithmetic needs numbers, not \(a.type.isNumber ? b.type.word : a.type.word)", at: r)
    }
    if a.literal != nil { a = try adapt(a, to: b, r) }
    if b.literal != nil { b = try adapt(b, to: a, r) }
    if case .exact(let u) = a.type, a.type == b.type, op == .add || op == .subtract {
      return Typed(expr: .intArith(aop, a.expr, b.expr), type: .exact(u))
    }
    return Typed(expr: .realArith(aop, toReal(a), toReal(b)), type: .real)
  }
}
