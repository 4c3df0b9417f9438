/// Every problem found while compiling a catalog.
public struct CatalogErrors: Error, Sendable, CustomStringConvertible {
  public var errors: [DefinitionError]
  public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Checks a catalog's formulas and compiles them into measures and scope expressions.
public enum CatalogCompiler {
  public static func compile(_ catalog: Catalog) throws(CatalogErrors) -> CompiledCatalog {
    try compile(variants: [catalog])
  }

  /// Whether a KPI id is one of the built-in catalog's.
  public static func isKnown(_ id: String) -> Bool { Catalog.builtin.kpi(id) != nil }

  /// Compiles several catalogs (e.g. the versions of a program's definitions) into one set of
  /// measures, so that one engine computes them all; variant 0 is the main one.
  public static func compile(variants catalogs: [Catalog]) throws(CatalogErrors) -> CompiledCatalog {
    precondition(!catalogs.isEmpty, "compile at least one catalog")
    var c = Compiler(catalog: catalogs[0])
    var errors: [DefinitionError] = []
    var variants: [[String: ScopeExpr]] = []
    for catalog in catalogs {
      c.start(catalog)
      for f in catalog.partnerFacts {
        do { _ = try c.partnerFact(f.name, at: .none) } catch { errors.append(error) }
      }
      for k in catalog.kpis {
        do { _ = try c.kpi(k.id) } catch {
          if !errors.contains(error) { errors.append(error) }
        }
      }
      var seen: Set<String> = []
      for k in catalog.kpis where !seen.insert(k.id).inserted {
        let e = DefinitionError(
          definition: k.id, part: "id", error: LanguageError("the id '\(k.id)' is defined twice", at: .none))
        if !errors.contains(e) { errors.append(e) }
      }
      variants.append(c.kpiExpressions)
    }
    if !errors.isEmpty { throw CatalogErrors(errors: errors) }
    return CompiledCatalog(
      catalog: catalogs[0], measures: c.measures, sets: c.sets, expressions: variants[0], variants: variants,
      variantCatalogs: catalogs, measureLabels: c.measures.indices.map { c.measureLabels[$0] ?? "measure \($0 + 1)" })
  }
}

/// The table a row expression is written over, and what it may read.
struct RowContext {
  var table: CanonicalTable
  /// Over `partners` at query time: may read the period and nest aggregates over the partner's facts.
  var perPeriod: Bool { table == .partners }
}

/// A typed row expression, with the literal it came from (literals adapt to the type they meet).
struct Typed {
  var expr: RowExpr
  var type: RowType
  var literal: Literal?

  enum Literal {
    case number(Double)
    case text(String)
  }
}

struct Compiler {
  var catalog: Catalog
  var measures: [MeasureSpec] = []
  var measureIndex: [MeasureSpec: Int] = [:]
  var sets: [SetSpec] = []
  var setIndex: [SetSpec: Int] = [:]
  var kpiExpressions: [String: ScopeExpr] = [:]
  var kpiFailures: [String: DefinitionError] = [:]
  var inProgress: [String] = []
  var partnerFactExpressions: [String: Typed] = [:]
  var currentDefinition = ""
  /// The text being compiled, for naming measures by the aggregate they come from.
  var currentSource = ""
  /// Per measure, the aggregate's text where it was first met (`count(deals where …)`).
  var measureLabels: [Int: String] = [:]

  init(catalog: Catalog) { self.catalog = catalog }

  /// Starts compiling another catalog, keeping the measures and sets compiled so far.
  mutating func start(_ next: Catalog) {
    catalog = next
    kpiExpressions = [:]
    kpiFailures = [:]
    partnerFactExpressions = [:]
    inProgress = []
  }

  // MARK: Definitions

  mutating func kpi(_ id: String) throws(DefinitionError) -> ScopeExpr {
    if let e = kpiExpressions[id] { return e }
    if let f = kpiFailures[id] { throw f }
    guard let def = catalog.kpi(id) else {
      throw DefinitionError(definition: id, part: "formula", error: LanguageError("unknown KPI '\(id)'", at: .none))
    }
    if inProgress.contains(id) {
      throw DefinitionError(
        definition: id, part: "formula",
        error: LanguageError(
          "the KPI refers to itself through \((inProgress + [id]).joined(separator: " → "))", at: .none))
    }
    inProgress.append(id)
    defer { inProgress.removeLast() }
    let saved = currentDefinition
    currentDefinition = id
    defer { currentDefinition = saved }
    var lets: [String: ScopeExpr] = [:]
    var part = "formula"
    do throws(LanguageError) {
      for l in def.lets {
        part = "let \(l.name)"
        guard isIdentifier(l.name) else {
          throw LanguageError("'\(l.name)' is not a valid name: use letters, digits and '_'", at: .none)
        }
        currentSource = l.formula
        lets[l.name] = try scope(try Parser.parse(l.formula), lets: lets)
      }
      part = "formula"
      currentSource = def.formula
      let e = try scope(try Parser.parse(def.formula), lets: lets)
      kpiExpressions[id] = e
      return e
    } catch {
      let failure = DefinitionError(definition: id, part: part, error: error)
      kpiFailures[id] = failure
      throw failure
    }
  }

  mutating func partnerFact(_ name: String, at range: SourceRange) throws(DefinitionError) -> Typed {
    if let t = partnerFactExpressions[name] { return t }
    guard let def = catalog.partnerFacts.first(where: { $0.name == name }) else {
      throw DefinitionError(
        definition: name, part: "partner fact", error: LanguageError("unknown partner fact '\(name)'", at: range))
    }
    if inProgress.contains("fact:" + name) {
      throw DefinitionError(
        definition: name, part: "partner fact",
        error: LanguageError("the partner fact '\(name)' refers to itself", at: range))
    }
    inProgress.append("fact:" + name)
    defer { inProgress.removeLast() }
    do throws(LanguageError) {
      guard isIdentifier(name) else {
        throw LanguageError("'\(name)' is not a valid name: use letters, digits and '_'", at: .none)
      }
      if TableSchema.all[.partners]!.index[name] != nil {
        throw LanguageError("'\(name)' is already a column of partners; choose another name", at: .none)
      }
      let first = measures.count
      let t = try row(try Parser.parse(def.formula), RowContext(table: .partners))
      if t.expr.dependsOnPeriodOutsideMeasures || measures[first...].contains(where: { $0.time != .allTime }) {
        throw LanguageError(
          "a partner fact is computed over all of the partner's facts, so it cannot depend on the period", at: .none)
      }
      partnerFactExpressions[name] = t
      return t
    } catch {
      throw DefinitionError(definition: name, part: "partner fact", error: error)
    }
  }

  func isIdentifier(_ s: String) -> Bool {
    guard let f = s.first, f.isLetter || f == "_" else { return false }
    return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
  }

  // MARK: Scope level

  mutating func scope(_ s: Syntax, lets: [String: ScopeExpr]) throws(LanguageError) -> ScopeExpr {
    switch s {
    case .number(let v, _):
      return .number(v)
    case .text(let t, let r):
      throw LanguageError("a text such as '\(t)' can only be compared with a field inside a condition", at: r)
    case .name(let n, let r):
      if let e = lets[n] { return e }
      if n == "start" || n == "end" || n == "period" {
        throw LanguageError(
          "'\(n)' can only be used inside a condition of an aggregate, e.g. count(deals where closed_on in period)",
          at: r)
      }
      if catalog.kpi(n) != nil {
        do { return try kpi(n) } catch {
          if error.error.message.hasPrefix("the KPI refers to itself") {
            throw LanguageError(error.error.message, at: r)
          }
          throw LanguageError("the KPI '\(n)' used here has an error: \(error.error.message)", at: r)
        }
      }
      if let table = CanonicalTable(rawValue: n) {
        throw LanguageError(
          "'\(n)' is a table: aggregate it, e.g. count(\(table.rawValue)) or sum(\(table.rawValue).…)", at: r)
      }
      if let t = CanonicalTable.allCases.first(where: { $0.schema.index[n] != nil }) {
        throw LanguageError(
          "'\(n)' is a field of \(t.rawValue); fields are used inside aggregates, e.g. sum(\(t.rawValue).\(n))", at: r)
      }
      throw LanguageError("unknown name '\(n)': not a KPI id, a let name, or a function\(suggestion(n))", at: r)
    case .member(let t, let f, let r):
      throw LanguageError("\(t).\(f) is a field of each row: aggregate it, e.g. sum(\(t).\(f)) or count(\(t))", at: r)
    case .negate(let e, _):
      return .negate(try scope(e, lets: lets))
    case .not(let e, _):
      return .not(try scope(e, lets: lets))
    case .binary(let op, let a, let b, _):
      let l = try scope(a, lets: lets)
      let r = try scope(b, lets: lets)
      switch op {
      case .add: return .arith(.add, l, r)
      case .subtract: return .arith(.sub, l, r)
      case .multiply: return .arith(.mul, l, r)
      case .divide: return .arith(.div, l, r)
      case .and: return .and(l, r)
      case .or: return .or(l, r)
      default: return .compare(compareOp(op), l, r)
      }
    case .presence(let e, let present, _):
      let p = ScopeExpr.present(try scope(e, lets: lets))
      return present ? p : .not(p)
    case .inPeriod(_, let r):
      throw LanguageError(
        "'in period' belongs inside an aggregate's condition, e.g. count(deals where closed_on in period)", at: r)
    case .inList(_, _, _, let r), .inSet(_, _, _, let r):
      throw LanguageError("'in (…)' belongs inside an aggregate's condition", at: r)
    case .aggregate(let a):
      return try topAggregate(a)
    case .call(let name, let args, let r):
      let lower = name.lowercased()
      if lower == "trailing" {
        guard args.count == 2, case .number(let n, let nr) = args[0] else {
          throw LanguageError(
            "trailing takes a number of months and an expression: trailing(12, sum(deals.amount where …))", at: r)
        }
        guard n >= 1, n <= 240, n == n.rounded() else {
          throw LanguageError("the number of months must be a whole number from 1 to 240", at: nr)
        }
        return .trailing(Int32(n), try scope(args[1], lets: lets))
      }
      var xs: [ScopeExpr] = []
      for a in args { xs.append(try scope(a, lets: lets)) }
      switch lower {
      case "if":
        guard xs.count == 3 else { throw arity("if", "if(condition, value when true, value when false)", r) }
        return .ifThen(xs[0], xs[1], xs[2])
      case "least", "greatest", "coalesce":
        guard !xs.isEmpty else { throw arity(lower, "\(lower)(a, b, …)", r) }
        return lower == "least" ? .least(xs) : lower == "greatest" ? .greatest(xs) : .coalesce(xs)
      case "abs":
        guard xs.count == 1 else { throw arity("abs", "abs(value)", r) }
        return .abs(xs[0])
      case "active":
        throw LanguageError(
          "active(…) belongs inside an aggregate's condition, e.g. count(customers where active(acquired_on, churned_on, end))",
          at: r)
      default:
        throw LanguageError(
          "unknown function '\(name)'; functions are count, sum, mean, min, max, count_distinct, if, least, greatest, coalesce, abs, trailing, active",
          at: r)
      }
    }
  }

  func arity(_ f: String, _ form: String, _ r: SourceRange) -> LanguageError {
    LanguageError("\(f) is written \(form)", at: r)
  }

  func suggestion(_ n: String) -> String { Spelling.hint(for: n, in: catalog.kpis.map(\.id)) }

  func compareOp(_ op: BinaryOperator) -> CompareOp {
    switch op {
    case .equal: .eq
    case .notEqual: .ne
    case .less: .lt
    case .lessOrEqual: .le
    case .greater: .gt
    default: .ge
    }
  }

  // MARK: Row level

  mutating func row(_ s: Syntax, _ ctx: RowContext) throws(LanguageError) -> Typed {
    let schema = ctx.table.schema
    switch s {
    case .number(let v, _):
      return Typed(expr: .real(v), type: .real, literal: .number(v))
    case .text(let t, _):
      return Typed(expr: .bool(false), type: .bool, literal: .text(t))
    case .name(let n, let r):
      if let i = schema.index[n] { return Typed(expr: .column(i), type: columnType(schema.columns[i])) }
      if n == "true" || n == "false" { return Typed(expr: .bool(n == "true"), type: .bool) }
      if n == "start" || n == "end" {
        guard ctx.perPeriod else {
          throw LanguageError(
            "'\(n)' can be used here only as 'FIELD in period', in active(from, until, end) or active(…, start - 1), or in a condition over partners",
            at: r)
        }
        return Typed(expr: n == "start" ? .periodStart : .periodEnd, type: .day)
      }
      if ctx.table == .partners, catalog.partnerFacts.contains(where: { $0.name == n }) {
        do { return try partnerFact(n, at: r) } catch {
          throw LanguageError("the partner fact '\(n)' has an error: \(error.error.message)", at: r)
        }
      }
      if catalog.kpi(n) != nil {
        throw LanguageError(
          "the KPI '\(n)' is a value of a whole scope; inside a condition use fields of \(ctx.table.rawValue)", at: r)
      }
      throw LanguageError(
        "\(ctx.table.rawValue) has no field '\(n)'; its fields are \(schema.columns.map(\.name).joined(separator: ", "))"
          + (ctx.table == .partners && !catalog.partnerFacts.isEmpty
            ? ", and the partner facts \(catalog.partnerFacts.map(\.name).joined(separator: ", "))" : ""),
        at: r)
    case .member(let t, let f, let r):
      guard t == ctx.table.rawValue else {
        throw LanguageError("inside an aggregate over \(ctx.table.rawValue), write the field alone: '\(f)'", at: r)
      }
      return try row(.name(f, r), ctx)
    case .negate(let e, let r):
      let t = try row(e, ctx)
      if case .number(let v) = t.literal { return Typed(expr: .real(-v), type: .real, literal: .number(-v)) }
      guard t.type.isNumber else { throw LanguageError("only a number can be negated, not \(t.type.word)", at: r) }
      return Typed(expr: .negate(t.expr, integer: t.type.isInteger), type: t.type)
    case .not(let e, let r):
      let t = try row(e, ctx)
      try expectBool(t, r)
      return Typed(expr: .not(t.expr), type: .bool)
    case .binary(let op, let a, let b, let r):
      let l = try row(a, ctx)
      let rr = try row(b, ctx)
      if op == .and || op == .or {
        try expectBool(l, a.range)
        try expectBool(rr, b.range)
        return Typed(expr: op == .and ? .and(l.expr, rr.expr) : .or(l.expr, rr.expr), type: .bool)
      }
      if op.isComparison { return try compare(compareOp(op), l, rr, r) }
      return try arithmetic(op, l, rr, r)
    case .presence(let e, let present, _):
      let t = try row(e, ctx)
      let p = RowExpr.present(t.expr)
      return Typed(expr: present ? p : .not(p), type: .bool)
    case .inPeriod(let x, let r):
      guard ctx.perPeriod else {
        throw LanguageError(
          "'in period' must stand on its own in the condition (joined by 'and'), e.g. where stage = 'won' and closed_on in period",
          at: r)
      }
      let t = try row(x, ctx)
      switch t.type {
      case .day: return Typed(expr: .inPeriod(t.expr, isMonth: false), type: .bool)
      case .timestamp: return Typed(expr: .inPeriod(.utcDay(t.expr), isMonth: false), type: .bool)
      case .month: return Typed(expr: .inPeriod(t.expr, isMonth: true), type: .bool)
      default: throw LanguageError("only a date or month can be in a period, not \(t.type.word)", at: x.range)
      }
    case .inList(let x, let items, let negated, let r):
      let t = try row(x, ctx)
      var list: [RowExpr] = []
      for i in items {
        let it = try row(i, ctx)
        let (a, b) = try unify(t, it, r)
        _ = a
        list.append(b.expr)
      }
      let e = RowExpr.inList(t.expr, list)
      return Typed(expr: negated ? .not(e) : e, type: .bool)
    case .inSet(let x, let set, let negated, let r):
      let t = try row(x, ctx)
      guard case .code(let domain) = t.type else {
        throw LanguageError("only an id can be looked up in a set of ids, not \(t.type.word)", at: x.range)
      }
      let (table, head) = try aggregateHead(set)
      let sctx = RowContext(table: table)
      guard let head else { throw LanguageError("a set needs a field, e.g. (leads.deal_id where …)", at: set.range) }
      let v = try row(head, sctx)
      guard case .code(let d2) = v.type, d2 == domain else {
        throw LanguageError("the set holds \(v.type.word), which cannot match \(t.type.word)", at: r)
      }
      var filter: RowExpr?
      if let c = set.condition {
        let f = try row(c, sctx)
        try expectBool(f, c.range)
        if f.expr.isPeriodDependent {
          throw LanguageError("a set is built from all rows, so its condition cannot depend on the period", at: c.range)
        }
        // Sets are built table by table, so a set read while another is built could be incomplete.
        var nested = false
        f.expr.visitSets { _, _ in nested = true }
        if nested {
          throw LanguageError(
            "a set's condition cannot look ids up in another set; write the condition on this set's table, or as a KPI",
            at: c.range)
        }
        filter = f.expr
      }
      let spec = SetSpec(table: table, value: v.expr, domain: domain, filter: filter)
      let index: Int
      if let i = setIndex[spec] {
        index = i
      } else {
        sets.append(spec)
        index = sets.count - 1
        setIndex[spec] = index
      }
      let e = RowExpr.inSet(t.expr, set: index)
      return Typed(expr: negated ? .not(e) : e, type: .bool)
    case .aggregate(let a):
      return try nestedAggregate(a, outer: ctx)
    case .call(let name, let args, let r):
      return try call(name, args, ctx, r)
    }
  }

  mutating func call(_ name: String, _ args: [Syntax], _ ctx: RowContext, _ r: SourceRange)
    throws(LanguageError) -> Typed
  {
    var xs: [Typed] = []
    for a in args { xs.append(try row(a, ctx)) }
    switch name {
    case "active":
      guard xs.count == 3 else { throw arity("active", "active(from, until, day)", r) }
      guard ctx.perPeriod else {
        throw LanguageError("active(…) must stand on its own in the condition, joined by 'and'", at: r)
      }
      // from ≤ day < until, until absent = still active.
      let from = xs[0]
      let day = xs[2]
      guard from.type == .day, day.type == .day, xs[1].type == .day || isAbsentName(args[1]) else {
        throw LanguageError("active(from, until, day) needs three dates", at: r)
      }
      let started = RowExpr.and(.present(from.expr), .compare(.le, from.expr, day.expr, integer: true))
      if isAbsentName(args[1]) { return Typed(expr: started, type: .bool) }
      let notEnded = RowExpr.or(.not(.present(xs[1].expr)), .compare(.lt, day.expr, xs[1].expr, integer: true))
      return Typed(expr: .and(started, notEnded), type: .bool)
    case "if":
      guard xs.count == 3 else { throw arity("if", "if(condition, value when true, value when false)", r) }
      try expectBool(xs[0], args[0].range)
      let (a, b) = try unify(xs[1], xs[2], r)
      return Typed(expr: .ifThen(xs[0].expr, a.expr, b.expr, integer: a.type.isInteger), type: a.type)
    case "least", "greatest", "coalesce":
      guard var acc = xs.first else { throw arity(name, "\(name)(a, b, …)", r) }
      var items: [Typed] = [acc]
      for x in xs.dropFirst() {
        let (a, b) = try unify(acc, x, r)
        acc = a
        items = items.map { $0.type == a.type ? $0 : toRealTyped($0) } + [b]
      }
      let exprs = items.map(\.expr)
      let integer = acc.type.isInteger
      let e: RowExpr =
        name == "least"
        ? .least(exprs, integer: integer)
        : name == "greatest" ? .greatest(exprs, integer: integer) : .coalesce(exprs, integer: integer)
      return Typed(expr: e, type: acc.type)
    case "abs":
      guard xs.count == 1, xs[0].type.isNumber else { throw arity("abs", "abs(number)", r) }
      return Typed(expr: .abs(xs[0].expr, integer: xs[0].type.isInteger), type: xs[0].type)
    default:
      throw LanguageError(
        "unknown function '\(name)' in a condition; use active, if, least, greatest, coalesce, abs or an aggregate",
        at: r)
    }
  }

}
