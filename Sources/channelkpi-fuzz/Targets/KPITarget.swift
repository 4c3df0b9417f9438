import ChannelKPI
import ChannelKPIStore

/// The KPI language: a definitions file of KPIs and partner facts, parsed, its formulas lexed,
/// parsed, checked and compiled on top of the built-in catalog, as `--catalog` and `program
/// apply` do; errors must point at their place in the file.
struct KPITarget: FuzzTarget {
  let name = "kpi"
  let fileExtension = "yaml"
  let seeds: [FuzzInput]
  let tokens = [
    "(", ")", "'", " where ", " from ", " and ", " or ", "not ", " in period", " is present", " is not present",
    "active(", ", end)", "start - 1", "trailing(12, ", "if(", "least(", "greatest(", "count(", "sum(", "mean(",
    "min(", "max(", "count_distinct(", "deals.amount", "deals", "partners", "market.month", " = ", " != ", " <= ",
    " / ", " * ", " - ", "let:", "formula: ", "|\n      ", ">-\n      ", "partner_facts:", "kpis:", "\n  - id: ",
  ]
  let corpus: FuzzCorpus
  static let file = "kpis.yaml"

  init(corpus: FuzzCorpus) {
    self.corpus = corpus
    let builtin = Catalog.builtin
    // One small file per built-in definition, so mutations land on formulas more than on prose.
    seeds =
      builtin.kpis.map { FuzzInput(variant: "kpis", bytes: Array(CatalogFile.yaml(Catalog(kpis: [$0])).utf8)) }
      + builtin.partnerFacts.map {
        FuzzInput(variant: "kpis", bytes: Array(CatalogFile.yaml(Catalog(partnerFacts: [$0])).utf8))
      }
  }

  func run(_ input: FuzzInput) -> FuzzOutcome {
    let text = String(decoding: input.bytes, as: UTF8.self)
    do {
      _ = try CatalogFile.compile(files: [(path: Self.file, yaml: text)])
      return .accepted
    } catch {
      return Clarity.judge(error, file: Self.file, bytes: input.bytes)
    }
  }

  /// A KPI with a formula (and sometimes a `let`) drawn from the language's grammar, written in
  /// one of YAML's scalar styles so that errors must be placed through quotes and folds.
  func generate(_ rng: inout FuzzRandom) -> FuzzInput? {
    let g = FormulaGrammar(corpus: corpus)
    let formula = g.expression(&rng, depth: 0)
    var yaml = "kpis:\n  - id: fuzz_kpi\n    name: Fuzz\n    unit: \(rng.pick(KPIUnit.allCases).rawValue)\n"
    if rng.chance(0.3) {
      yaml += "    let:\n      part: \(Self.scalar(g.expression(&rng, depth: 1), indent: 8, &rng))\n"
    }
    yaml += "    formula: \(Self.scalar(formula, indent: 6, &rng))\n"
    return FuzzInput(variant: "kpis", bytes: Array(yaml.utf8))
  }

  /// The formula as a YAML scalar: plain, single- or double-quoted, literal or folded block.
  static func scalar(_ formula: String, indent: Int, _ rng: inout FuzzRandom) -> String {
    let pad = String(repeating: " ", count: indent)
    switch rng.below(5) {
    case 0: return formula
    case 1: return "'" + formula.replacingOccurrences(of: "'", with: "''") + "'"
    case 2:
      return "\"" + formula.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        + "\""
    case 3: return "|\n" + pad + formula.replacingOccurrences(of: " and ", with: "\n\(pad)and ")
    default: return ">-\n" + pad + formula.replacingOccurrences(of: " where ", with: "\n\(pad)  where ")
    }
  }
}

/// Random formulas of the KPI language: aggregates over the tables with conditions on their
/// fields, KPI references, arithmetic and the functions, nested a few levels.
struct FormulaGrammar {
  let corpus: FuzzCorpus
  static let functions = ["count", "sum", "mean", "avg", "min", "max", "count_distinct"]
  static let calls = ["if", "least", "greatest", "abs", "trailing", "round", "coalesce"]

  func expression(_ rng: inout FuzzRandom, depth: Int) -> String {
    let leaf = depth >= 3 || rng.chance(0.3)
    switch leaf ? rng.below(3) : rng.int(3, 7) {
    case 0: return rng.pick(["0", "1", "12", "0.5", "1e3", "-3", "100000"])
    case 1: return rng.pick(Catalog.builtin.kpis).id
    case 2, 3, 4: return aggregate(&rng, depth: depth)
    case 5:
      let op = rng.pick(["+", "-", "*", "/"])
      return "\(expression(&rng, depth: depth + 1)) \(op) \(expression(&rng, depth: depth + 1))"
    case 6:
      let fn = rng.pick(Self.calls)
      if fn == "trailing" {
        return "trailing(\(rng.pick(["3", "12", "0", "-1"])), \(expression(&rng, depth: depth + 1)))"
      }
      if fn == "if" {
        return "if(\(expression(&rng, depth: depth + 1)) > 0, \(expression(&rng, depth: depth + 1)), 0)"
      }
      return "\(fn)(\(expression(&rng, depth: depth + 1)), \(expression(&rng, depth: depth + 1)))"
    default: return "(\(expression(&rng, depth: depth + 1)))"
    }
  }

  func aggregate(_ rng: inout FuzzRandom, depth: Int) -> String {
    let table = rng.pick(CanonicalTable.allCases)
    let columns = table.schema.columns
    let fn = rng.pick(Self.functions)
    var head = table.rawValue
    if fn != "count" || rng.chance(0.3) {
      head =
        rng.chance(0.8)
        ? "\(table.rawValue).\(rng.pick(columns).name)" : "\(rng.pick(columns).name) from \(table.rawValue)"
    }
    var s = "\(fn)(\(head)"
    if rng.chance(0.8) { s += " where " + condition(table, &rng, depth: depth + 1) }
    return s + ")"
  }

  func condition(_ table: CanonicalTable, _ rng: inout FuzzRandom, depth: Int) -> String {
    let columns = table.schema.columns
    let c = rng.pick(columns)
    switch rng.below(depth >= 3 ? 6 : 9) {
    case 0: return "\(c.name) in period"
    case 1: return "\(c.name) is \(rng.chance(0.5) ? "" : "not ")present"
    case 2:
      let dates = columns.filter { $0.type == .date || $0.type == .datetime }.map(\.name)
      guard dates.count >= 2 else { return "\(c.name) in period" }
      return "active(\(dates[0]), \(dates[1]), \(rng.pick(["end", "start - 1", "start"])))"
    case 3, 4, 5:
      let op = rng.pick(["=", "!=", "<", "<=", ">", ">="])
      return "\(c.name) \(op) \(literal(table, c, &rng))"
    case 6: return "\(c.name) in (\(literal(table, c, &rng)), \(literal(table, c, &rng)))"
    case 7:
      let joiner = rng.pick([" and ", " or "])
      return condition(table, &rng, depth: depth + 1) + joiner + condition(table, &rng, depth: depth + 1)
    default: return "not (\(condition(table, &rng, depth: depth + 1)))"
    }
  }

  /// A value the column really holds in the demo, quoted unless it is a number.
  func literal(_ table: CanonicalTable, _ column: Column, _ rng: inout FuzzRandom) -> String {
    let rows = corpus.rows[table] ?? []
    let i = table.schema.index[column.name] ?? 0
    let value = rows.isEmpty ? "" : rng.pick(rows)[i]
    return column.type == .money || column.type == .int ? (value.isEmpty ? "0" : value) : "'\(value)'"
  }
}
