/// Aggregates (`sum(deals.amount where …)`, `count(…)`, sets) compiled into measures.
extension Compiler {
  mutating func measure(_ m: MeasureSpec) -> Int {
    if let i = measureIndex[m] { return i }
    measures.append(m)
    measureIndex[m] = measures.count - 1
    return measures.count - 1
  }

  /// Names measures after the aggregate text they were compiled from (a mean's two parts say so).
  mutating func label(_ ids: [Int], _ r: SourceRange, isMean: Bool) {
    let lines = currentSource.split(separator: "\n", omittingEmptySubsequences: false)
    guard r.length > 0, r.line >= 1, r.line <= lines.count else { return }
    let line = Array(lines[r.line - 1])
    let start = r.column - 1
    guard start >= 0, start < line.count else { return }
    let text = String(line[start..<Swift.min(line.count, start + r.length)])
    for (k, id) in ids.enumerated() where measureLabels[id] == nil {
      measureLabels[id] = isMean ? (k == 0 ? "total of \(text)" : "count of \(text)") : text
    }
  }

  /// The parts of an aggregate: its table, value and the measures it stands for.
  struct AggregateParts {
    var specs: [MeasureSpec]
    var isMean: Bool
    var resultType: RowType
  }

  mutating func topAggregate(_ a: AggregateSyntax) throws(LanguageError) -> ScopeExpr {
    let parts = try aggregateParts(a, outer: nil)
    let ids = parts.specs.map { measure($0) }
    label(ids, a.range, isMean: parts.isMean)
    return parts.isMean ? .arith(.div, .measure(ids[0]), .measure(ids[1])) : .measure(ids[0])
  }

  mutating func nestedAggregate(_ a: AggregateSyntax, outer: RowContext) throws(LanguageError) -> Typed {
    let parts = try aggregateParts(a, outer: outer)
    let ids = parts.specs.map { measure($0) }
    label(ids, a.range, isMean: parts.isMean)
    if parts.isMean {
      let sumType = parts.specs[0].valueType ?? .exact(.plain)
      let sum = toReal(Typed(expr: .measure(ids[0]), type: sumType.isInteger ? sumType : .real))
      let count = toReal(Typed(expr: .measure(ids[1]), type: .exact(.plain)))
      return Typed(expr: .realArith(.div, sum, count), type: .real)
    }
    return Typed(expr: .measure(ids[0]), type: parts.resultType)
  }

  mutating func aggregateParts(_ a: AggregateSyntax, outer: RowContext?) throws(LanguageError)
    -> AggregateParts
  {
    let (table, valueSyntax) = try aggregateHead(a)
    if let outer {
      if table == .partners {
        throw LanguageError("an aggregate over partners cannot be nested inside another one over partners", at: a.range)
      }
      if !outer.perPeriod {
        throw LanguageError(
          "aggregates can be nested only inside an aggregate over partners (each partner's own facts), e.g. count(partners where count(deals where stage = 'won') > 0)",
          at: a.range)
      }
    }
    let ctx = RowContext(table: table)
    var value: Typed?
    if let valueSyntax { value = try row(valueSyntax, ctx) }
    if let v = value, v.literal != nil {
      throw LanguageError("the value of \(a.function)(…) must read a field of \(table.rawValue)", at: a.head.range)
    }
    let (time, filter) = try condition(a.condition, ctx)
    var function: AggregateFunction
    var isMean = false
    var resultType: RowType = .exact(.plain)
    switch a.function {
    case "count":
      function = .count
    case "sum", "mean":
      guard let v = value else { throw LanguageError("\(a.function) needs a value to add up", at: a.range) }
      guard v.type.isNumber else {
        throw LanguageError(
          "\(a.function)(…) adds up numbers, but this value is \(v.type.word)"
            + (v.type == .day ? "; a difference of two dates is a number of days (closed_on - created_on)" : ""),
          at: a.head.range)
      }
      function = .sum
      isMean = a.function == "mean"
      resultType = v.type
    case "min", "max":
      guard let v = value else {
        throw LanguageError("\(a.function) needs a value, e.g. \(a.function)(deals.closed_on)", at: a.range)
      }
      guard v.type != .bool, !isCode(v.type) else {
        throw LanguageError(
          "\(a.function)(…) needs numbers or dates, but this value is \(v.type.word)", at: a.head.range)
      }
      function = a.function == "min" ? .min : .max
      resultType = v.type
    case "count_distinct":
      guard let v = value else {
        throw LanguageError("count_distinct needs a value, e.g. count_distinct(deals.customer_id)", at: a.range)
      }
      guard v.type.isInteger else {
        throw LanguageError("count_distinct(…) needs ids, whole numbers or dates, not \(v.type.word)", at: a.head.range)
      }
      function = .countDistinct
    default:
      throw LanguageError("unknown aggregate '\(a.function)'", at: a.range)
    }
    if case .state = time, function != .count && function != .sum {
      throw LanguageError("a state on a day can be counted, summed or averaged, not \(a.function)", at: a.range)
    }
    if case .stateThrough = time, function != .count {
      throw LanguageError("facts active on both days can only be counted", at: a.range)
    }
    if table == .market, case .state = time {
      throw LanguageError("market rows have no active period; use 'month in period'", at: a.range)
    }
    var specs: [MeasureSpec] = []
    if function == .count, let v = value {
      // count(x from t) counts the rows where x is present.
      specs.append(
        MeasureSpec(
          table: table, function: .count, value: nil, valueType: nil,
          filter: conjoin(filter, .present(v.expr)), time: time))
    } else {
      specs.append(
        MeasureSpec(
          table: table, function: function, value: value?.expr, valueType: value?.type, filter: filter,
          time: time))
    }
    if isMean, let v = value {
      specs.append(
        MeasureSpec(
          table: table, function: .count, value: nil, valueType: nil,
          filter: conjoin(filter, .present(v.expr)), time: time))
    }
    if isMean { resultType = .real }
    if function == .count || function == .countDistinct { resultType = .exact(.plain) }
    return AggregateParts(specs: specs, isMean: isMean, resultType: resultType)
  }

  func isCode(_ t: RowType) -> Bool {
    if case .code = t { return true }
    return false
  }

  func conjoin(_ a: RowExpr?, _ b: RowExpr) -> RowExpr { a.map { .and($0, b) } ?? b }

  func aggregateHead(_ a: AggregateSyntax) throws(LanguageError) -> (CanonicalTable, Syntax?) {
    func table(_ name: String, _ r: SourceRange) throws(LanguageError) -> CanonicalTable {
      guard let t = CanonicalTable(rawValue: name) else {
        throw LanguageError(
          "unknown table '\(name)'; the tables are \(CanonicalTable.allCases.map(\.rawValue).joined(separator: ", "))",
          at: r)
      }
      return t
    }
    if let (name, r) = a.from { return (try table(name, r), a.head) }
    switch a.head {
    case .name(let n, let r):
      let t = try table(n, r)
      if a.function != "count" {
        throw LanguageError(
          "\(a.function) needs a value: \(a.function)(\(n).FIELD …) or \(a.function)(EXPRESSION from \(n) …)", at: r)
      }
      return (t, nil)
    case .member(let t, let f, let r):
      return (try table(t, r), .name(f, SourceRange(line: r.line, column: r.column + t.count + 1, length: f.count)))
    default:
      throw LanguageError(
        "expected a table, e.g. count(deals where …), sum(deals.amount …) or mean(closed_on - created_on from deals …)",
        at: a.head.range)
    }
  }

  /// Splits a fact-table condition into the way facts are attributed to periods and a row filter.
  mutating func condition(_ c: Syntax?, _ ctx: RowContext) throws(LanguageError) -> (TimeForm, RowExpr?) {
    guard let c else { return (ctx.perPeriod ? .perPeriod : .allTime, nil) }
    if ctx.perPeriod {
      let t = try row(c, ctx)
      try expectBool(t, c.range)
      return (.perPeriod, t.expr)
    }
    var conjuncts: [Syntax] = []
    func flatten(_ s: Syntax) {
      if case .binary(.and, let a, let b, _) = s {
        flatten(a)
        flatten(b)
      } else {
        conjuncts.append(s)
      }
    }
    flatten(c)
    var dated: (RowExpr, SourceRange)?
    var states: [(RowExpr, RowExpr?, StateDay, SourceRange)] = []
    var filter: RowExpr?
    for s in conjuncts {
      switch s {
      case .inPeriod(let x, let r):
        let t = try row(x, ctx)
        let month: RowExpr
        switch t.type {
        case .day: month = .monthOf(t.expr)
        case .timestamp: month = .monthOf(.utcDay(t.expr))
        case .month: month = t.expr
        default:
          throw LanguageError("only a date, date-time or month can be in a period, not \(t.type.word)", at: x.range)
        }
        if dated != nil {
          throw LanguageError(
            "a fact can be counted in a period by one date only, and this aggregate already has a '… in period'; to count either date, add two aggregates",
            at: r)
        }
        dated = (month, r)
      case .call(let name, let args, let r) where name == "active":
        guard args.count == 3 else {
          throw arity("active", "active(from, until, day), e.g. active(acquired_on, churned_on, end)", r)
        }
        let from = try stateBound(args[0], ctx, canBeAbsent: false)
        let until = try stateBound(args[1], ctx, canBeAbsent: true)
        states.append((from!, until, try stateDay(args[2]), r))
      case .binary(let op, let x, let d, let r) where (op == .lessOrEqual || op == .less) && mentionsDay(d):
        // `x <= end` and `x < start` are states that never end.
        let day = try stateDay(d, strict: op == .less)
        let from = try stateBound(x, ctx, canBeAbsent: false)
        states.append((from!, nil, day, r))
      default:
        let t = try row(s, ctx)
        try expectBool(t, s.range)
        filter = filter.map { .and($0, t.expr) } ?? t.expr
      }
    }
    if let (_, r) = dated, !states.isEmpty {
      throw LanguageError(
        "a fact is either counted in the period of a date ('… in period') or as a state on a day (active(…)), not both",
        at: r)
    }
    if let (m, _) = dated { return (.dated(m), filter) }
    switch states.count {
    case 0: return (.allTime, filter)
    case 1: return (.state(from: states[0].0, until: states[0].1, on: states[0].2), filter)
    case 2:
      let (a, b) = (states[0], states[1])
      guard a.0 == b.0, a.1 == b.1, a.2 != b.2 else {
        throw LanguageError(
          "two states can be combined only for the same from and until, once at start - 1 and once at end", at: b.3)
      }
      return (.stateThrough(from: a.0, until: a.1), filter)
    default:
      throw LanguageError("at most two active(…) conditions (at start - 1 and at end) can be combined", at: states[2].3)
    }
  }

  func mentionsDay(_ s: Syntax) -> Bool {
    switch s {
    case .name(let n, _): return n == "end" || n == "start"
    case .binary(.subtract, .name("start", _), .number, _): return true
    default: return false
    }
  }

  func stateDay(_ s: Syntax, strict: Bool = false) throws(LanguageError) -> StateDay {
    switch s {
    case .name("end", _) where !strict: return .end
    case .name("start", _) where strict: return .beforeStart
    case .binary(.subtract, .name("start", _), .number(1, _), _) where !strict: return .beforeStart
    default:
      throw LanguageError(
        "a state is measured on 'end' (the period's last day) or 'start - 1' (the day before the period starts)",
        at: s.range)
    }
  }

  mutating func stateBound(_ s: Syntax, _ ctx: RowContext, canBeAbsent: Bool) throws(LanguageError)
    -> RowExpr?
  {
    if canBeAbsent, case .name(let n, _) = s, n == "absent" || n == "null" { return nil }
    let t = try row(s, ctx)
    switch t.type {
    case .day: return t.expr
    case .timestamp: return .utcDay(t.expr)
    default: throw LanguageError("active(…) needs dates, but this is \(t.type.word)", at: s.range)
    }
  }

  func expectBool(_ t: Typed, _ r: SourceRange) throws(LanguageError) {
    guard t.type == .bool else {
      throw LanguageError("a condition must be true or false, but this is \(t.type.word)", at: r)
    }
  }
}
