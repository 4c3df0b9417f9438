import ChannelKPI
import Foundation
import Yams

/// The parser's readers of single values in ladders and incentive plans: whole numbers, exact
/// decimals, money and rates, days, grains, word lists, filters and rates by tier.
extension ProgramFiles.Parser {
  mutating func mapping(_ n: Node, _ allowed: [String], _ what: String, _ path: String) -> [String: Node]? {
    var errs: [DefinitionFileError] = []
    let f = fields(n, allowed, what, path, &errs)
    errors += errs
    return f
  }

  mutating func whole(_ n: Node?, _ key: String, _ path: String, min: Int, max: Int = 1000) -> Int? {
    guard let t = text(n, key, path) else { return nil }
    guard let v = Int(t.replacingOccurrences(of: "_", with: "")), v >= min, v <= max else {
      error(path, n?.mark, "'\(key)' must be a whole number from \(min) to \(max), not '\(t)'")
      return nil
    }
    return v
  }

  /// A decimal with at most `places` digits after the point, at least `min` when given and at most
  /// `max` (amounts to a trillion, rates to 1,000: far past any program, and exact arithmetic
  /// stays within bounds).
  mutating func decimal(
    _ n: Node?, _ key: String, _ path: String, places: Int, min: Rational? = .zero, max: Rational = Rational(1_000)
  ) -> Rational? {
    guard let t = text(n, key, path) else { return nil }
    guard let v = Rational(decimal: t, places: places) else {
      error(
        path, n?.mark,
        "'\(key)' must be a plain decimal number with at most \(places) digits after the point, not '\(t)'")
      return nil
    }
    if let min, v < min {
      error(path, n?.mark, "'\(key)' must be at least \(min.decimal(places: places)), not \(t)")
      return nil
    }
    if max < v {
      error(path, n?.mark, "'\(key)' must be at most \(max.decimal(places: places)), not \(t)")
      return nil
    }
    return v
  }

  mutating func money(_ n: Node?, _ key: String, _ path: String) -> Rational? {
    decimal(n, key, path, places: 2, max: Rational(1_000_000_000_000))
  }

  mutating func rate(_ n: Node?, _ key: String, _ path: String) -> Rational? {
    decimal(n, key, path, places: 6)
  }

  mutating func day(_ n: Node?, _ key: String, _ path: String) -> Day? {
    parsed(n, key, path, "must be a date such as 2025-01-01") { Day(iso: $0) }
  }

  mutating func grain(_ n: Node?, _ key: String, _ path: String) -> Grain? {
    parsed(n, key, path, "is month, quarter or year") { Grain(rawValue: $0) }
  }

  /// A scalar that `parse` reads, or an error saying what it should have been and what it was.
  private mutating func parsed<T>(
    _ n: Node?, _ key: String, _ path: String, _ expected: String, _ parse: (String) -> T?
  ) -> T? {
    guard let t = text(n, key, path) else { return nil }
    guard let v = parse(t) else {
      error(path, n?.mark, "'\(key)' \(expected), not '\(t)'")
      return nil
    }
    return v
  }

  mutating func words(_ n: Node?, _ key: String, _ path: String) -> [(String, Mark?)]? {
    guard let n else { return nil }
    guard let items = n.listItems else {
      error(path, n.mark, "'\(key)' must be a list such as [a, b]")
      return nil
    }
    var out: [(String, Mark?)] = []
    for i in items {
      guard let s = i.string, !s.isEmpty else {
        error(path, i.mark, "'\(key)' holds a value that is not a word")
        continue
      }
      out.append((s, i.mark))
    }
    if out.isEmpty { error(path, n.mark, "'\(key)' is empty: leave it out to mean everyone") }
    return out
  }

  /// `applies_to: {types: […], tiers: […], regions: […], partners: […]}`.
  mutating func filter(_ n: Node?, _ path: String, tiers allowTiers: Bool, what: String) -> AppliesTo {
    guard let n else { return AppliesTo() }
    let keys = allowTiers ? ["types", "tiers", "regions", "partners"] : ["types", "regions", "partners"]
    guard let f = mapping(n, keys, "'applies_to' of \(what)", path) else { return AppliesTo() }
    var out = AppliesTo()
    func check(_ list: [(String, Mark?)], _ known: Set<String>?, _ noun: String, _ parser: inout Self) {
      guard let known, !known.isEmpty else { return }
      for (v, m) in list where !known.contains(v) {
        parser.error(
          path, m,
          "'applies_to' names the \(noun) '\(v)', which no partner has\(Spelling.hint(for: v, in: known.sorted()))")
      }
    }
    if let l = words(f["types"], "types", path) {
      check(l, known?.types, "type", &self)
      out.types = l.map(\.0)
    }
    if let l = words(f["regions"], "regions", path) {
      check(l, known?.regions, "region", &self)
      out.regions = l.map(\.0)
    }
    if let l = words(f["partners"], "partners", path) {
      check(l, known?.partners, "partner", &self)
      out.partners = l.map(\.0)
    }
    if let l = words(f["tiers"], "tiers", path) {
      for (v, m) in l { tierReferences.append((v, path, m)) }
      out.tiers = l.map(\.0)
    }
    return out
  }

  /// `{gold: 0.01, …}`: a rate per tier level.
  mutating func ratesByTier(_ n: Node?, _ path: String) -> [String: Rational] {
    guard let n else { return [:] }
    guard case .mapping(let m) = n else {
      error(path, n.mark, "'rate_by_tier' maps tier levels to rates, e.g. {gold: 0.01}")
      return [:]
    }
    var out: [String: Rational] = [:]
    for (k, v) in m {
      guard let tier = k.string else { continue }
      tierReferences.append((tier, path, k.mark))
      if let r = rate(v, "rate_by_tier.\(tier)", path) { out[tier] = r }
    }
    return out
  }

  /// Years a ladder may start in: evaluations replay every period from the start.
  static let plausibleYears = 1900...2200
}
