import ChannelKPI
import PropertyBased
import Testing

/// One KPI value of one scope and period.
private struct ValueKey: Hashable, Comparable, CustomStringConvertible {
  let kpi: String
  let scope: Scope
  let period: Period

  var description: String { "\(kpi) \(scope) \(period)" }

  static func < (a: ValueKey, b: ValueKey) -> Bool {
    if a.kpi != b.kpi { return a.kpi < b.kpi }
    if a.scope != b.scope { return a.scope < b.scope }
    return a.period < b.period
  }
}

/// The values of one scope kind at one grain, laid out like a `ComputeResult`.
private struct ValueTable {
  var kpis: [String]
  var scopes: [Scope]
  var periods: [Period]
  /// `values[(k * scopes.count + s) * periods.count + p]`.
  var values: [Double?]

  func value(_ k: Int, _ s: Int, _ p: Int) -> Double? { values[(k * scopes.count + s) * periods.count + p] }
}

/// Every KPI value of a set of scope kinds and grains, plus what went wrong producing them.
private struct Evaluation {
  struct Slice: Hashable {
    let kind: ScopeKind
    let grain: Grain
  }
  var tables: [Slice: ValueTable] = [:]
  var problems: [String] = []
}

/// The months of a program's data and three more on either side (periods before any fact and after
/// the last one are compared too).
private func padded(_ range: (first: Month, last: Month)) -> (first: Month, last: Month) {
  (range.first - 3, range.last + 3)
}

/// The periods of `grain` that cover `range`, as compute requests name them.
private func periodBounds(_ grain: Grain, _ range: (first: Month, last: Month)) -> (Period, Period) {
  (Period(grain: grain, containing: range.first), Period(grain: grain, containing: range.last))
}

private func evaluate(
  _ engine: KPIEngine, range: (first: Month, last: Month), grains: [Grain] = Grain.allCases,
  kinds: [ScopeKind] = ScopeKind.allCases
) -> Evaluation {
  var ev = Evaluation()
  for kind in kinds {
    for grain in grains {
      let (from, to) = periodBounds(grain, range)
      let r: ComputeResult
      do {
        r = try engine.compute(ComputeRequest(kpis: [], by: kind, grain: grain, from: from, to: to))
      } catch {
        ev.problems.append("engine.compute(by: \(kind), grain: \(grain)) threw \(error)")
        continue
      }
      ev.tables[Evaluation.Slice(kind: kind, grain: grain)] = ValueTable(
        kpis: r.kpis, scopes: r.scopes, periods: r.periods, values: r.values)
    }
  }
  return ev
}

private func evaluate(
  _ naive: NaiveCatalog, range: (first: Month, last: Month), grains: [Grain] = Grain.allCases,
  kinds: [ScopeKind] = ScopeKind.allCases
) -> Evaluation {
  var ev = Evaluation()
  for kind in kinds {
    let scopes = naive.scopes(kind)
    let facts = scopes.map { naive.facts($0) }
    for grain in grains {
      let periods = Period.range(grain, from: range.first, to: range.last)
      var values: [Double?] = []
      for k in NaiveCatalog.kpiIDs.indices {
        for f in facts {
          for p in periods { values.append(f.value(kpiIndex: k, p.months)) }
        }
      }
      ev.tables[Evaluation.Slice(kind: kind, grain: grain)] = ValueTable(
        kpis: NaiveCatalog.kpiIDs, scopes: scopes, periods: periods, values: values)
    }
  }
  return ev
}

private struct Mismatch: CustomStringConvertible {
  let key: ValueKey
  let a: Double?
  let b: Double?
  let aName: String
  let bName: String

  var description: String {
    "\(key.kpi) | \(key.scope) | \(key.period): \(aName) \(show(a)), \(bName) \(show(b))"
  }
}

/// The scopes with a value that differs between two evaluations (or that only one has).
private func changedScopes(_ a: Evaluation, _ b: Evaluation) -> Set<Scope> {
  var changed: Set<Scope> = []
  for (slice, ta) in a.tables {
    guard let tb = b.tables[slice], ta.kpis == tb.kpis, ta.periods == tb.periods else {
      changed.formUnion(a.tables[slice]?.scopes ?? [])
      changed.formUnion(b.tables[slice]?.scopes ?? [])
      continue
    }
    let sb = Dictionary(uniqueKeysWithValues: tb.scopes.enumerated().map { ($1, $0) })
    for (s, scope) in ta.scopes.enumerated() {
      guard let j = sb[scope] else {
        changed.insert(scope)
        continue
      }
      for k in ta.kpis.indices {
        for p in ta.periods.indices where ta.value(k, s, p) != tb.value(k, j, p) {
          // NaN never equals itself: two missing-as-NaN values are the same value.
          if let x = ta.value(k, s, p), let y = tb.value(k, j, p), x.isNaN && y.isNaN { continue }
          changed.insert(scope)
        }
      }
    }
    changed.formUnion(Set(tb.scopes).subtracting(ta.scopes))
  }
  return changed
}

/// The values that differ between two evaluations of the same KPIs, scopes and periods.
private func changedValues(_ a: Evaluation, _ b: Evaluation) -> [ValueKey] {
  var out: [ValueKey] = []
  for (slice, ta) in a.tables {
    guard let tb = b.tables[slice], ta.kpis == tb.kpis, ta.periods == tb.periods, ta.scopes == tb.scopes else {
      continue
    }
    for k in ta.kpis.indices {
      for s in ta.scopes.indices {
        for p in ta.periods.indices where ta.value(k, s, p) != tb.value(k, s, p) {
          if let x = ta.value(k, s, p), let y = tb.value(k, s, p), x.isNaN && y.isNaN { continue }
          out.append(ValueKey(kpi: ta.kpis[k], scope: ta.scopes[s], period: ta.periods[p]))
        }
      }
    }
  }
  return out.sorted()
}

/// A value as reports print it: the number, or `nil`.
private func show(_ v: Double?) -> String { v.map { "\($0)" } ?? "nil" }

/// Differences between two evaluations: structural problems (KPIs, scopes or periods that are not the
/// same) and values that disagree.
private func compare(_ a: Evaluation, _ aName: String, _ b: Evaluation, _ bName: String) -> (
  problems: [String], mismatches: [Mismatch]
) {
  var problems = a.problems.map { "\(aName): \($0)" } + b.problems.map { "\(bName): \($0)" }
  var mismatches: [Mismatch] = []
  for (slice, ta) in a.tables.sorted(by: {
    ($0.key.kind.rawValue, $0.key.grain.rawValue) < ($1.key.kind.rawValue, $1.key.grain.rawValue)
  }) {
    guard let tb = b.tables[slice] else { continue }
    let what = "by \(slice.kind), \(slice.grain)"
    if ta.periods != tb.periods {
      problems.append("\(what): periods \(ta.periods) in \(aName), \(tb.periods) in \(bName)")
      continue
    }
    if Set(ta.kpis) != Set(tb.kpis) || ta.kpis.count != tb.kpis.count {
      problems.append("\(what): KPIs \(ta.kpis) in \(aName), \(tb.kpis) in \(bName)")
    }
    if Set(ta.scopes) != Set(tb.scopes) || ta.scopes.count != tb.scopes.count {
      let x = Set(ta.scopes)
      let y = Set(tb.scopes)
      problems.append(
        "\(what): scopes only in \(aName) \(x.subtracting(y).sorted()), only in \(bName) \(y.subtracting(x).sorted())")
    }
    var kpiIndex: [String: Int] = [:]
    for (i, k) in tb.kpis.enumerated() { kpiIndex[k] = i }
    var scopeIndex: [Scope: Int] = [:]
    for (i, sc) in tb.scopes.enumerated() { scopeIndex[sc] = i }
    for (ka, kpi) in ta.kpis.enumerated() {
      guard let kb = kpiIndex[kpi] else { continue }
      for (sa, scope) in ta.scopes.enumerated() {
        guard let sb = scopeIndex[scope] else { continue }
        for p in ta.periods.indices {
          let va = ta.value(ka, sa, p)
          let vb = tb.value(kb, sb, p)
          if !close(va, vb) {
            mismatches.append(
              Mismatch(
                key: ValueKey(kpi: kpi, scope: scope, period: ta.periods[p]), a: va, b: vb, aName: aName, bName: bName))
          }
        }
      }
    }
  }
  mismatches.sort { $0.key < $1.key }
  return (problems, mismatches)
}

/// Records an issue for a failed comparison, naming the seed and the first disagreements.
private func report(
  _ what: String, seed: UInt64, problems: [String], mismatches: [Mismatch], extra: String = "",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard !problems.isEmpty || !mismatches.isEmpty else { return }
  var byKPI: [String: Int] = [:]
  for m in mismatches { byKPI[m.key.kpi, default: 0] += 1 }
  var text = "\(what), seed \(seed): \(problems.count) problem(s), \(mismatches.count) value(s) disagree"
  if !byKPI.isEmpty {
    text += " (" + byKPI.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
  }
  for p in problems.prefix(10) { text += "\n  " + p }
  // The first disagreements of every KPI.
  var shown: [String: Int] = [:]
  for m in mismatches where shown[m.key.kpi, default: 0] < 3 {
    shown[m.key.kpi, default: 0] += 1
    text += "\n  " + m.description
  }
  if !extra.isEmpty { text += "\n" + extra }
  Issue.record(Comment(rawValue: text), sourceLocation: sourceLocation)
}

// MARK: Shrinking

/// Removes `drop` from `records`, and with them every record that names a partner or campaign no
/// longer there, so the program stays valid.
private func removing(_ drop: Set<Int>, from records: [FactRecord]) -> [FactRecord] {
  let kept = records.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
  var partners: Set<String> = []
  for r in kept where r.table == .partners { partners.insert(r["partner_id"].string!) }
  var campaigns: Set<String> = []
  for r in kept where r.table == .campaigns && partners.contains(r["partner_id"].string!) {
    campaigns.insert(r["campaign_id"].string!)
  }
  return kept.filter { r in
    if r.table != .market, r.table != .partners, !partners.contains(r["partner_id"].string ?? "") { return false }
    if r.table == .leads || r.table == .webTraffic, let c = r["campaign_id"].string, !campaigns.contains(c) {
      return false
    }
    return true
  }
}

/// A smaller list of records for which `fails` still holds (greedy removal of chunks, then of single records).
private func shrink(_ records: [FactRecord], _ fails: ([FactRecord]) -> Bool) -> [FactRecord] {
  var current = records
  var chunk = max(1, current.count / 2)
  while true {
    var removedAny = false
    var start = 0
    while start < current.count {
      let candidate = removing(Set(start..<min(current.count, start + chunk)), from: current)
      if candidate.count < current.count && fails(candidate) {
        current = candidate
        removedAny = true
      } else {
        start += chunk
      }
    }
    if chunk == 1 && !removedAny { return current }
    if !removedAny { chunk = max(1, chunk / 2) }
  }
}

/// Whether the engine and the naive catalog disagree on one value of `records`.
private func engineDisagrees(_ records: [FactRecord], _ key: ValueKey) -> Bool {
  let naive = NaiveCatalog(records)
  guard !naive.members(key.scope).isEmpty, let engine = try? Fixture.engine(records) else { return false }
  let request = ComputeRequest(
    kpis: [key.kpi], by: key.scope.kind, grain: key.period.grain, from: key.period, to: key.period,
    scopes: [key.scope])
  guard let r = try? engine.compute(request), r.kpis.count == 1, r.scopes.count == 1, r.periods.count == 1
  else { return false }
  return !close(r.value(kpi: 0, scope: 0, period: 0), naive.value(key.kpi, key.scope, key.period))
}

/// The smallest program found that still shows the disagreement, as text.
private func shrunkReport(_ records: [FactRecord], _ m: Mismatch) -> String {
  let small = shrink(records) { engineDisagrees($0, m.key) }
  let naive = NaiveCatalog(small).value(m.key.kpi, m.key.scope, m.key.period)
  var engineValue = "(no value: the engine failed)"
  let request = ComputeRequest(
    kpis: [m.key.kpi], by: m.key.scope.kind, grain: m.key.period.grain, from: m.key.period, to: m.key.period,
    scopes: [m.key.scope])
  if let e = try? Fixture.engine(small), let r = try? e.compute(request) {
    engineValue = show(r.value(kpi: 0, scope: 0, period: 0))
  }
  var text = "  shrunk to \(small.count) record(s) for \(m.key): engine \(engineValue), naive \(show(naive))"
  for r in small { text += "\n    " + RandomProgram.line(r) }
  return text
}

// MARK: Properties

@Suite(.shrinking(false)) struct PropertyTests {
  /// Seeds of random programs: any 40-bit number, printed in every failure so a case can be replayed.
  static let seeds = Gen<UInt64>.value(in: 1...(1 << 40)).withoutShrink()

  /// Engine == naive for every KPI × scope (all scopes of all kinds) × period (month, quarter, year).
  static func checkEngineMatchesNaive(seed: UInt64) throws {
    let program = RandomProgram(seed: seed)
    let range = padded(program.monthRange)
    let naive = NaiveCatalog(program.records)
    let engine = try Fixture.engine(program.records)
    let (problems, mismatches) = compare(
      evaluate(engine, range: range), "engine", evaluate(naive, range: range), "naive")
    var extra = ""
    if let first = mismatches.first { extra = shrunkReport(program.records, first) }
    report("engine vs naive", seed: seed, problems: problems, mismatches: mismatches, extra: extra)
  }

  @Test func engineMatchesNaive() async throws {
    await propertyCheck(count: 50, input: Self.seeds) { seed in
      try Self.checkEngineMatchesNaive(seed: seed)
    }
  }

  /// Feeds the records of a program to an engine through `upsert` (half of the time after
  /// bulk-loading the first batches), in random batches, in random order across tables, interleaved
  /// with modified versions of the same keys, then the final versions; the result must equal an
  /// engine loaded in one go and the naive catalog. At a random point in between, the incremental
  /// engine must also equal an engine loaded with what it was given so far.
  static func checkIncrementalMatchesFull(seed: UInt64) throws {
    var g = ProgramGenerator(seed: seed)
    let finalRecords = g.program()
    let range = padded(RandomProgram(seed: seed, records: finalRecords).monthRange)

    var stream = finalRecords
    if !finalRecords.isEmpty {
      for _ in 0..<g.int(0...(finalRecords.count / 2 + 3)) {
        if let m = g.modified(g.pick(finalRecords)) { stream.append(m) }
      }
    }
    stream.shuffle(using: &g.rng)
    var lastSent: [String: FactRecord] = [:]
    for r in stream { lastSent[RandomProgram.key(r)] = r }
    var tail: [FactRecord] = []
    for r in NaiveCatalog.latestVersions(finalRecords).shuffled(using: &g.rng)
    where lastSent[RandomProgram.key(r)] != r || g.chance(0.3) {
      tail.append(r)
    }
    stream += tail

    var batches: [[FactRecord]] = []
    var i = 0
    while i < stream.count {
      let n = g.chance(0.1) ? stream.count : g.int(1...15)
      batches.append(Array(stream[i..<min(stream.count, i + n)]))
      i += n
    }
    var checkpoints: Set<Int> = []
    if batches.count > 1 { checkpoints.insert(g.int(0...batches.count - 2)) }

    // Half of the time the first batches are bulk-loaded (`load` … `finishLoading`), as when a store
    // opens with data, and only the rest goes through `upsert`.
    let bulk = g.chance(0.5) ? g.int(1...max(1, batches.count)) : 0
    // Most of the time the scopes' series are built after each write, as a server does, so that
    // reads by type, region, tier and network come from them (kept up to date, or built again).
    let scopes = g.chance(0.7)
    let incremental = KPIEngine(catalog: try CatalogCompiler.compile(.builtin))
    var sent: [FactRecord] = []
    for (b, batch) in batches.enumerated() {
      if b < bulk {
        incremental.load(batch)
        if b == bulk - 1 { incremental.finishLoading() }
      } else if b % 3 == 0 || !batch.contains(where: { $0.table == .partners || $0.table == .market }) {
        // Every partner whose values the batch changed must be in what `upsert` says it reached,
        // and every value it changed must be of a month from which it says the KPI may have moved.
        let before = evaluate(incremental, range: range, grains: [.month], kinds: [.partner, .network])
        let change = incremental.upsert(batch)
        let reach = change.reach
        let after = evaluate(incremental, range: range, grains: [.month], kinds: [.partner, .network])
        let missed = changedScopes(before, after).filter { $0.kind == .partner && !reach.reaches($0.value ?? "") }
        #expect(
          missed.isEmpty,
          "seed \(seed), batch \(b + 1): \(missed) changed, the upsert reached only \(reach)")
        let unforeseen = changedValues(before, after).filter {
          !incremental.mayHaveChanged($0.kpi, through: $0.period.lastMonth, by: change, asOf: false)
        }
        #expect(
          unforeseen.isEmpty,
          "seed \(seed), batch \(b + 1): \(unforeseen.prefix(5)) changed, months the upsert said it left alone")
      } else {
        incremental.upsert(batch)
      }
      if scopes && b >= bulk - 1 { incremental.prepareForReads() }
      sent += batch
      if checkpoints.contains(b) && b >= bulk - 1 {
        let sentRange = padded(RandomProgram(seed: seed, records: sent).monthRange)
        let full = try Fixture.engine(sent)
        let (problems, mismatches) = compare(
          evaluate(incremental, range: sentRange, grains: [.quarter]), "incremental",
          evaluate(full, range: sentRange, grains: [.quarter]), "full")
        report(
          "incremental vs full after batch \(b + 1) of \(batches.count) "
            + "(\(sent.count) records, \(bulk) batches bulk-loaded)",
          seed: seed, problems: problems, mismatches: mismatches)
      }
    }

    if bulk > batches.count { incremental.finishLoading() }

    let full = try Fixture.engine(finalRecords)
    let naive = NaiveCatalog(finalRecords)
    let incrementalValues = evaluate(incremental, range: range)
    let c1 = compare(incrementalValues, "incremental", evaluate(full, range: range), "full")
    report(
      "incremental vs full at the end (\(bulk) of \(batches.count) batches bulk-loaded)", seed: seed,
      problems: c1.problems, mismatches: c1.mismatches)
    let c2 = compare(incrementalValues, "incremental", evaluate(naive, range: range), "naive")
    report(
      "incremental vs naive at the end (\(bulk) of \(batches.count) batches bulk-loaded)", seed: seed,
      problems: c2.problems, mismatches: c2.mismatches)
  }

  @Test func incrementalMatchesFullRecompute() async throws {
    await propertyCheck(count: 50, input: Self.seeds) { seed in
      try Self.checkIncrementalMatchesFull(seed: seed)
    }
  }

  /// A few fixed seeds, so that every run also covers the same programs. To replay a failure, add the
  /// seed printed in its report here.
  @Test(arguments: [1, 2, 3] as [UInt64]) func fixedSeeds(seed: UInt64) throws {
    try Self.checkEngineMatchesNaive(seed: seed)
    try Self.checkIncrementalMatchesFull(seed: seed)
  }
}
