import ChannelKPI
import Yams

extension ProgramFiles.Parser {
  /// `alerts:` — rules: id, KPI, scope (one, or `each` of a kind with `where:`), grain, a
  /// condition under `when:`, `for`, `resolve_after`, severity and who is notified.
  mutating func alerts(_ v: Node, _ path: String) {
    guard case .sequence(let items) = v else {
      error(path, v.mark, "'alerts' must be a list, each item starting with '- id: …'")
      return
    }
    for item in items {
      var errs: [DefinitionFileError] = []
      let keys = ["id", "name", "kpi", "scope", "where", "grain", "when", "for", "resolve_after", "severity", "notify"]
      let f = fields(item, keys, "an alert rule", path, &errs)
      errors += errs
      guard let f else { continue }
      guard let id = text(f["id"], "id", path), let kpi = text(f["kpi"], "kpi", path), let when = f["when"] else {
        error(path, item.mark, "an alert rule needs 'id:', 'kpi:' and 'when:' (its condition)")
        continue
      }
      guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }), !id.isEmpty else {
        error(path, f["id"]?.mark, "an alert id is letters, digits, '_' and '-', not '\(id)'")
        continue
      }
      if let (file, mark) = alertIds[id] {
        error(path, f["id"]?.mark, "alert '\(id)' is defined twice (first at \(file):\(mark?.line ?? 1))")
        continue
      }
      alertIds[id] = (path, f["id"]?.mark)
      references.append((kpi, path, f["kpi"]?.mark))
      guard let selector = alertSelector(f["scope"], f["where"], path), let condition = alertCondition(when, path)
      else { continue }
      let grainText = text(f["grain"], "grain", path) ?? "month"
      guard let grain = Grain(rawValue: grainText) else {
        error(path, f["grain"]?.mark, "'grain' is month, quarter or year, not '\(grainText)'")
        continue
      }
      guard let forPeriods = count(f["for"], "for", path, default: 1),
        let resolveAfter = count(f["resolve_after"], "resolve_after", path, default: 1)
      else { continue }
      let severityText = text(f["severity"], "severity", path) ?? "warning"
      guard let severity = AlertSeverity(rawValue: severityText) else {
        error(path, f["severity"]?.mark, "'severity' is info, warning or critical, not '\(severityText)'")
        continue
      }
      var notify: [String] = []
      if let n = f["notify"] {
        switch n {
        case .scalar: notify = text(n, "notify", path).map { [$0] } ?? []
        case .sequence(let s): notify = s.compactMap { text($0, "notify", path) }
        default: error(path, n.mark, "'notify' is a webhook name or a list of them")
        }
      }
      defs.alerts.append(
        AlertRule(
          id: id, name: text(f["name"], "name", path) ?? id, kpi: kpi, selector: selector, grain: grain,
          condition: condition, forPeriods: forPeriods, resolveAfter: resolveAfter, severity: severity, notify: notify))
    }
  }

  /// A whole number of periods, at least 1 and at most 24.
  private mutating func count(_ n: Node?, _ key: String, _ path: String, default d: Int) -> Int? {
    guard let n else { return d }
    guard let t = text(n, key, path), let v = Int(t), (1...24).contains(v) else {
      error(path, n.mark, "'\(key)' is a number of periods from 1 to 24")
      return nil
    }
    return v
  }

  /// `network`, `type:X` … `partner:ID`, or `each partner|type|region|tier`; `where:` narrows
  /// `each partner` by type, tier or manager.
  private mutating func alertSelector(_ scopeNode: Node?, _ whereNode: Node?, _ path: String) -> AlertSelector? {
    let t = scopeNode.flatMap { text($0, "scope", path) } ?? "network"
    let selector: AlertSelector
    if t.hasPrefix("each ") {
      guard let kind = ScopeKind(rawValue: String(t.dropFirst(5))), kind != .network else {
        error(path, scopeNode?.mark, "'each' is followed by partner, type, region or tier, not '\(t.dropFirst(5))'")
        return nil
      }
      var filter = AlertFilter()
      if let whereNode {
        guard kind == .partner else {
          error(path, whereNode.mark, "'where' narrows 'each partner' only")
          return nil
        }
        var errs: [DefinitionFileError] = []
        guard let w = fields(whereNode, ["type", "tier", "manager"], "'where'", path, &errs) else {
          errors += errs
          return nil
        }
        errors += errs
        filter.types = names(w["type"], "type", path)
        filter.tiers = names(w["tier"], "tier", path)
        filter.managers = names(w["manager"], "manager", path)
        if let known {
          for type in filter.types where !known.types.contains(type) {
            error(
              path, w["type"]?.mark,
              "no partner has type '\(type)'\(Spelling.hint(for: type, in: known.types.sorted()))")
            return nil
          }
          for manager in filter.managers where !known.managers.contains(manager) {
            error(
              path, w["manager"]?.mark,
              "no partner has the manager '\(manager)'\(Spelling.hint(for: manager, in: known.managers.sorted()))")
            return nil
          }
        }
        for tier in filter.tiers { alertTierReferences.append((tier, path, w["tier"]?.mark)) }
      }
      selector = .each(kind, filter)
    } else {
      guard let scope = Scope(t) else {
        error(
          path, scopeNode?.mark,
          "'scope' is network, type:X, region:X, tier:X, partner:ID or each partner|type|region|tier, not '\(t)'")
        return nil
      }
      if whereNode != nil {
        error(path, whereNode?.mark, "'where' narrows 'each partner' only")
        return nil
      }
      if let known {
        let names: Set<String>? =
          switch scope.kind {
          case .type: known.types
          case .region: known.regions
          case .partner: known.partners
          default: nil
          }
        if let names, let v = scope.value, !names.contains(v) {
          error(
            path, scopeNode?.mark,
            scope.kind == .partner
              ? "no partner '\(v)'\(Spelling.hint(for: v, in: names.sorted()))"
              : "no partner has \(scope.kind.rawValue) '\(v)'\(Spelling.hint(for: v, in: names.sorted()))")
          return nil
        }
      }
      if scope.kind == .tier, let v = scope.value { alertTierReferences.append((v, path, scopeNode?.mark)) }
      selector = .one(scope)
    }
    return selector
  }

  private mutating func names(_ n: Node?, _ key: String, _ path: String) -> [String] {
    guard let n else { return [] }
    switch n {
    case .scalar: return text(n, key, path).map { [$0] } ?? []
    case .sequence(let s): return s.compactMap { text($0, key, path) }
    default:
      error(path, n.mark, "'\(key)' is a value or a list of values")
      return []
    }
  }

  /// One of `attainment_below`, `below_baseline`, `drop`, `drop_amount` (with `versus`),
  /// `outside_forecast` or `no_data`.
  private mutating func alertCondition(_ n: Node, _ path: String) -> AlertCondition? {
    let conditions = ["attainment_below", "below_baseline", "drop", "drop_amount", "outside_forecast", "no_data"]
    var errs: [DefinitionFileError] = []
    guard let w = fields(n, conditions + ["versus"], "'when'", path, &errs) else {
      errors += errs
      return nil
    }
    errors += errs
    let named = conditions.filter { w[$0] != nil }
    guard named.count == 1, let key = named.first, let node = w[key] else {
      error(
        path, n.mark,
        "'when' holds exactly one condition: \(conditions.joined(separator: ", "))\(named.count > 1 ? " (found \(named.joined(separator: " and ")))" : "")"
      )
      return nil
    }
    var versus = AlertComparison.previousPeriod
    if let v = w["versus"] {
      guard key == "drop" || key == "drop_amount" else {
        error(path, v.mark, "'versus' belongs to 'drop' and 'drop_amount'")
        return nil
      }
      let t = text(v, "versus", path) ?? ""
      guard let c = AlertComparison(rawValue: t) else {
        error(path, v.mark, "'versus' is previous_period or same_period_last_year, not '\(t)'")
        return nil
      }
      versus = c
    }
    func share(_ max: Double?) -> Double? {
      guard let x = number(node, key, path) else { return nil }
      guard x > 0, max.map({ x <= $0 }) ?? true else {
        error(
          path, node.mark,
          "'\(key)' is a share \(max == nil ? "above 0" : "above 0 and at most 1") (0.2 = 20%), not \(ValueFormat.machine(x))"
        )
        return nil
      }
      return x
    }
    switch key {
    case "attainment_below": return share(nil).map { .attainmentBelow($0) }
    case "below_baseline": return share(1).map { .belowBaseline(share: $0) }
    case "drop": return share(1).map { .dropShare(versus, $0) }
    case "drop_amount":
      guard let x = number(node, key, path) else { return nil }
      guard x > 0 else {
        error(path, node.mark, "'drop_amount' is an amount above 0 in the KPI's unit, not \(ValueFormat.machine(x))")
        return nil
      }
      return .dropAmount(versus, x)
    case "outside_forecast":
      guard text(node, key, path) == "true" else {
        error(path, node.mark, "'outside_forecast' is true (the 95% interval of the forecast from the periods before)")
        return nil
      }
      return .outsideForecast
    default:
      guard let t = text(node, key, path), let k = Int(t), (1...24).contains(k) else {
        error(path, node.mark, "'no_data' is a number of periods from 1 to 24")
        return nil
      }
      return .noData(periods: k)
    }
  }
}
