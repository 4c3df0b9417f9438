public import ChannelKPI
import Foundation
import Yams

/// A problem in a definitions file, at a line and column of that file.
public struct DefinitionFileError: Error, Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int
  public var message: String
  public var description: String { line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)" }
}

/// Every problem found in one or more definitions files.
public struct DefinitionFileErrors: Error, Sendable, CustomStringConvertible {
  public var errors: [DefinitionFileError]
  public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Reads KPI catalogs from YAML and compiles them, reporting problems at their place in the file.
///
/// ```yaml
/// partner_facts:
///   - name: first_won_on
///     formula: min(deals.closed_on where stage = 'won')
/// kpis:
///   - id: revenue
///     name: Partner revenue
///     family: partner_performance
///     unit: money
///     better: higher
///     stages: [sell]
///     formula: sum(deals.amount where stage = 'won' and closed_on in period)
/// ```
public enum CatalogFile {
  /// Where a formula's text starts in its file.
  struct Place {
    var file: String
    var source: [String]
    var mark: Mark
  }

  /// Formula places by definition and part (`formula`, `let NAME`, `partner fact`).
  struct SourceMap {
    var places: [String: Place] = [:]
    static func key(_ definition: String, _ part: String) -> String { definition + "\u{0}" + part }
  }

  /// Parses one YAML catalog.
  static func parse(_ yaml: String, file: String, into map: inout SourceMap) throws(DefinitionFileErrors) -> Catalog {
    var errors: [DefinitionFileError] = []
    let source = yaml.components(separatedBy: "\n")
    func err(_ mark: Mark?, _ message: String) {
      errors.append(DefinitionFileError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }
    guard let root = try compose(yaml, file: file) else { return Catalog() }
    guard case .mapping(let top) = root else {
      err(root.mark, "expected a mapping with 'kpis:' (and optionally 'partner_facts:') at the top")
      throw DefinitionFileErrors(errors: errors)
    }
    var catalog = Catalog()
    for (k, v) in top where !section(k.string ?? "", v, file: file, source: source, map: &map, err: err, into: &catalog)
    {
      err(k.mark, "unknown section '\(k.string ?? "?")'; a catalog has 'kpis' and 'partner_facts'")
    }
    if !errors.isEmpty { throw DefinitionFileErrors(errors: errors) }
    return catalog
  }

  /// Parses YAML into nodes that keep their places, reporting syntax errors at theirs.
  static func compose(_ yaml: String, file: String) throws(DefinitionFileErrors) -> Node? {
    do { return try Yams.compose(yaml: yaml) } catch let e as YamlError {
      throw DefinitionFileErrors(errors: [yamlError(e, file: file)])
    } catch {
      throw DefinitionFileErrors(errors: [DefinitionFileError(file: file, line: 1, column: 1, message: "\(error)")])
    }
  }

  /// Reads a `kpis` or `partner_facts` section into a catalog; false for any other section.
  static func section(
    _ key: String, _ v: Node, file: String, source: [String], map: inout SourceMap, err: (Mark?, String) -> Void,
    into catalog: inout Catalog
  ) -> Bool {
    switch key {
    case "kpis":
      guard case .sequence(let items) = v else {
        err(v.mark, "'kpis' must be a list of KPI definitions, each starting with '- id: …'")
        return true
      }
      for item in items {
        if let kpi = kpiDefinition(item, file: file, source: source, map: &map, err: err) { catalog.kpis.append(kpi) }
      }
      return true
    case "partner_facts":
      guard case .sequence(let items) = v else {
        err(v.mark, "'partner_facts' must be a list, each item with 'name:' and 'formula:'")
        return true
      }
      for item in items {
        guard case .mapping(let m) = item else {
          err(item.mark, "a partner fact needs 'name:' and 'formula:'")
          continue
        }
        var name: String?
        var description = ""
        var formula: (String, Mark?)?
        for (fk, fv) in m {
          switch fk.string {
          case "name": name = scalar(fv, "name", err)
          case "description": description = scalar(fv, "description", err) ?? ""
          case "formula": formula = scalar(fv, "formula", err).map { ($0, fv.mark) }
          default:
            err(fk.mark, "unknown key '\(fk.string ?? "?")' in a partner fact; the keys are name, description, formula")
          }
        }
        guard let name, let (text, mark) = formula else {
          err(item.mark, "a partner fact needs both 'name:' and 'formula:'")
          continue
        }
        if let mark {
          map.places[SourceMap.key(name, "partner fact")] = Place(file: file, source: source, mark: mark)
        }
        catalog.partnerFacts.append(PartnerFactDefinition(name: name, description: description, formula: text))
      }
      return true
    default:
      return false
    }
  }

  static func scalar(_ n: Node, _ key: String, _ err: (Mark?, String) -> Void) -> String? {
    guard case .scalar(let s) = n else {
      err(n.mark, "'\(key)' must be a single value")
      return nil
    }
    return s.string
  }

  private static func kpiDefinition(
    _ item: Node, file: String, source: [String], map: inout SourceMap, err: (Mark?, String) -> Void
  ) -> KPIDefinition? {
    guard case .mapping(let m) = item else {
      err(item.mark, "a KPI definition is a mapping with id, name, unit, better, formula, …")
      return nil
    }
    var fields: [String: (Node, Mark?)] = [:]
    let allowed = ["id", "name", "family", "unit", "better", "stages", "description", "formula", "let", "min", "max"]
    for (k, v) in m {
      guard let key = k.string, allowed.contains(key) else {
        err(k.mark, "unknown key '\(k.string ?? "?")' in a KPI; the keys are \(allowed.joined(separator: ", "))")
        continue
      }
      fields[key] = (v, v.mark)
    }
    guard let idNode = fields["id"], let id = scalar(idNode.0, "id", err) else {
      err(item.mark, "a KPI needs an 'id:'")
      return nil
    }
    guard id.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil else {
      err(idNode.1, "the id '\(id)' must start with a lowercase letter and use only a-z, 0-9 and _")
      return nil
    }
    func text(_ key: String, default d: String? = nil) -> String? {
      guard let (n, mark) = fields[key] else {
        if d == nil { err(item.mark, "KPI '\(id)' needs '\(key):'") }
        return d
      }
      _ = mark
      return scalar(n, key, err)
    }
    guard let name = text("name"), let formula = text("formula") else { return nil }
    if let mark = fields["formula"]?.1 {
      map.places[SourceMap.key(id, "formula")] = Place(file: file, source: source, mark: mark)
    }
    let family = text("family", default: "custom") ?? "custom"
    let description = text("description", default: "") ?? ""
    var unit = KPIUnit.number
    if let u = text("unit", default: "number") {
      if let x = KPIUnit(rawValue: u) {
        unit = x
      } else {
        err(
          fields["unit"]?.1,
          "unknown unit '\(u)'; units are \(KPIUnit.allCases.map(\.rawValue).joined(separator: ", "))")
      }
    }
    var better = Direction.higher
    if let b = text("better", default: "higher") {
      if let x = Direction(rawValue: b) {
        better = x
      } else {
        err(fields["better"]?.1, "'better' is higher or lower, not '\(b)'")
      }
    }
    var stages: [LifecycleStage] = []
    if let (n, mark) = fields["stages"] {
      let items = n.listItems
      if items == nil { err(mark, "'stages' is a list such as [sell, market]") }
      for i in items ?? [] {
        if let s = i.string, let st = LifecycleStage(rawValue: s) {
          stages.append(st)
        } else {
          err(
            i.mark,
            "unknown stage '\(i.string ?? "?")'; stages are \(LifecycleStage.allCases.map(\.rawValue).joined(separator: ", "))"
          )
        }
      }
    }
    var lets: [NamedFormula] = []
    if let (n, mark) = fields["let"] {
      if case .mapping(let lm) = n {
        for (k, v) in lm {
          guard let lname = k.string, let f = scalar(v, "let", err) else { continue }
          if let vm = v.mark {
            map.places[SourceMap.key(id, "let \(lname)")] = Place(file: file, source: source, mark: vm)
          }
          lets.append(NamedFormula(name: lname, formula: f))
        }
      } else {
        err(
          mark,
          "'let' is a mapping of names to formulas, e.g. let: {campaign_cost: sum(campaigns.cost where started_on in period)}"
        )
      }
    }
    func bound(_ key: String) -> Double? {
      guard let (n, mark) = fields[key], let t = scalar(n, key, err) else { return nil }
      guard let v = Double(t), v.isFinite else {
        err(
          mark,
          "'\(key)' is the \(key == "min" ? "lowest" : "highest") value the KPI can take, a number such as 0 or 1, not '\(t)'"
        )
        return nil
      }
      return v
    }
    let minimum = bound("min")
    let maximum = bound("max")
    if let minimum, let maximum, minimum > maximum {
      err(
        fields["max"]?.1,
        "'max' (\(ValueFormat.machine(maximum))) must not be below 'min' (\(ValueFormat.machine(minimum)))")
    }
    return KPIDefinition(
      id: id, name: name, family: family, unit: unit, better: better, stages: stages, description: description,
      formula: formula, lets: lets, minimum: minimum, maximum: maximum)
  }

  private static func yamlError(_ e: YamlError, file: String) -> DefinitionFileError {
    switch e {
    case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _),
      .composer(let ctx, let problem, let mark, _):
      let context = ctx.map { " (\($0.text))" } ?? ""
      return DefinitionFileError(
        file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)\(context)")
    case .duplicatedKeysInMapping(let dups, let ctx):
      return DefinitionFileError(
        file: file, line: ctx.mark.line, column: ctx.mark.column,
        message: "the key \(dups.joined(separator: ", ")) appears twice")
    default:
      return DefinitionFileError(file: file, line: 1, column: 1, message: "not valid YAML: \(e)")
    }
  }

  /// Compiles the built-in catalog with the given files layered on top (later files win),
  /// reporting formula errors at their line and column in the files.
  public static func compile(base: Catalog = .builtin, files: [(path: String, yaml: String)])
    throws(DefinitionFileErrors)
    -> CompiledCatalog
  {
    var map = SourceMap()
    var catalog = base
    var errors: [DefinitionFileError] = []
    for f in files {
      do { catalog = catalog.merging(try parse(f.yaml, file: f.path, into: &map)) } catch { errors += error.errors }
    }
    if !errors.isEmpty { throw DefinitionFileErrors(errors: errors) }
    do { return try CatalogCompiler.compile(catalog) } catch {
      throw DefinitionFileErrors(errors: locate(error, map))
    }
  }

  /// Reads and compiles catalog files.
  public static func compile(paths: [String]) throws -> CompiledCatalog {
    var files: [(String, String)] = []
    for p in paths {
      guard let data = FileManager.default.contents(atPath: p), let text = String(data: data, encoding: .utf8) else {
        throw DefinitionFileErrors(errors: [
          DefinitionFileError(file: p, line: 0, column: 0, message: "cannot read the file")
        ])
      }
      files.append((p, text))
    }
    return try compile(files: files)
  }

  /// The file name errors in the built-in definitions are reported under.
  static let builtinFile = "built-in catalog"

  /// A compilation's errors at their places in the files. The built-in catalog compiles on its
  /// own, so its definitions fail only through a file's (a KPI a file breaks that built-in ones
  /// use): those errors repeat the file's at a place the user cannot open, and are left out.
  static func locate(_ errors: CatalogErrors, _ map: SourceMap) -> [DefinitionFileError] {
    let located = errors.errors.map { locate($0, map) }
    let inFiles = located.filter { $0.file != builtinFile }
    return inFiles.isEmpty ? located : inFiles
  }

  static func locate(_ e: DefinitionError, _ map: SourceMap) -> DefinitionFileError {
    let what = e.part == "partner fact" ? "partner fact '\(e.definition)'" : "KPI '\(e.definition)' (\(e.part))"
    guard let place = map.places[SourceMap.key(e.definition, e.part)] else {
      return DefinitionFileError(
        file: builtinFile, line: e.error.range.line, column: e.error.range.column,
        message: "\(what): \(e.error.message)")
    }
    let (line, column) = position(of: e.error.range, in: place)
    return DefinitionFileError(file: place.file, line: line, column: column, message: "\(what): \(e.error.message)")
  }

  /// Finds a formula position in the file by walking the raw YAML text from the scalar's start,
  /// matching the formula's characters (folded line breaks and indentation count as spaces).
  static func position(of range: SourceRange, in place: Place) -> (Int, Int) {
    var line = place.mark.line - 1
    var col = place.mark.column - 1
    guard line < place.source.count else { return (place.mark.line, place.mark.column) }
    var raw = Array(place.source[line])
    // Block scalars start on the next line, after their indentation.
    let head = col < raw.count ? raw[col] : " "
    let literal = head == "|"
    let block = head == "|" || head == ">"
    // Block scalars start on the next line; their indentation is that of their first line, and
    // deeper indentation belongs to the text. Plain and quoted scalars drop each line's indentation.
    var blockIndent = 0
    if block {
      line += 1
      guard line < place.source.count else { return (place.mark.line, place.mark.column) }
      raw = Array(place.source[line])
      blockIndent = raw.prefix { $0 == " " }.count
      col = blockIndent
    } else if head == "'" || head == "\"" {
      col += 1
    }
    // Walk to the formula's (line, column).
    var fl = 1
    var fc = 1
    while fl < range.line || fc < range.column {
      if col >= raw.count {
        line += 1
        guard line < place.source.count else { break }
        raw = Array(place.source[line])
        col = block ? Swift.min(blockIndent, raw.count) : raw.prefix { $0 == " " }.count
        if literal {
          fl += 1
          fc = 1
        } else {
          fc += 1  // a folded line break reads as one space
        }
        continue
      }
      col += 1
      fc += 1
    }
    return (line + 1, col + 1)
  }
}

extension CatalogFile {
  /// The catalog as a YAML definitions file.
  public static func yaml(_ catalog: Catalog) -> String {
    func s(_ v: String) -> Node { Node(v, Tag(.str), .plain) }
    func quoted(_ v: String) -> Node {
      // Plain when YAML reads it back unchanged, double-quoted otherwise.
      let risky =
        v.contains(": ") || v.contains(" #") || v.hasPrefix("'") || v.hasPrefix("\"") || v.isEmpty
        || v.hasPrefix("[") || v.hasPrefix("{") || v.hasPrefix("-") || v.hasPrefix("*") || v.hasPrefix("&")
      return Node(v, Tag(.str), risky ? .doubleQuoted : .plain)
    }
    var facts: [Node] = []
    for f in catalog.partnerFacts {
      var pairs: [(Node, Node)] = [(s("name"), s(f.name))]
      if !f.description.isEmpty { pairs.append((s("description"), quoted(f.description))) }
      pairs.append((s("formula"), quoted(f.formula)))
      facts.append(Node(pairs))
    }
    var kpis: [Node] = []
    for k in catalog.kpis {
      var pairs: [(Node, Node)] = [
        (s("id"), s(k.id)), (s("name"), quoted(k.name)), (s("family"), s(k.family)), (s("unit"), s(k.unit.rawValue)),
        (s("better"), s(k.better.rawValue)),
        (s("stages"), Node(k.stages.map { s($0.rawValue) }, Tag(.seq), .flow)),
      ]
      if !k.description.isEmpty { pairs.append((s("description"), quoted(k.description))) }
      if !k.lets.isEmpty { pairs.append((s("let"), Node(k.lets.map { (s($0.name), quoted($0.formula)) }))) }
      pairs.append((s("formula"), quoted(k.formula)))
      if let v = k.minimum { pairs.append((s("min"), Node(ValueFormat.machine(v), Tag(.float)))) }
      if let v = k.maximum { pairs.append((s("max"), Node(ValueFormat.machine(v), Tag(.float)))) }
      kpis.append(Node(pairs))
    }
    let root = Node([(s("partner_facts"), Node(facts)), (s("kpis"), Node(kpis))])
    return (try? Yams.serialize(node: root, width: -1)) ?? ""
  }
}

extension Node {
  /// The items of a list written in a definition file, which may also be one value on its own
  /// (`[a, b]` or `a`); nil for a mapping, which is no list.
  var listItems: [Node]? {
    switch self {
    case .sequence(let s): Array(s)
    case .scalar: [self]
    default: nil
    }
  }
}
