import Foundation
import Testing

/// The facts the crash tests expect in the store, kept by the test itself from the batches it
/// knows were stored, and the batches it sends: each marked with its name, so that an exported
/// row tells which batch wrote it.
struct CrashProgram: Equatable {
  /// A deal as the test wrote it.
  struct Deal: Equatable {
    var partner: String
    var closedOn: String
    var cents: Int64
    /// The name of the batch that last wrote the deal.
    var mark: String
  }

  /// A partner as the test wrote it (its name is the batch that last wrote it).
  struct Partner: Equatable {
    var type: String
    var mark: String
  }

  /// The seeded partners every deal belongs to.
  static let dealPartners = ["P1", "P2", "P3", "P4", "P5"]

  var deals: [String: Deal] = [:]
  var partners: [String: Partner] = [:]

  /// Five partners and ten deals, as `import` takes them.
  static func seed() -> CrashProgram {
    var p = CrashProgram()
    for id in dealPartners { p.partners[id] = Partner(type: "reseller", mark: "seed") }
    for i in 0..<10 {
      p.deals["S-\(i)"] = Deal(
        partner: dealPartners[i % 5], closedOn: "2025-\(month(i))-10", cents: Int64(100_000 + i * 1_234), mark: "seed")
    }
    return p
  }

  static func month(_ i: Int) -> String { String(format: "%02d", i % 12 + 1) }

  /// The program as canonical CSV files.
  func write(to dir: URL) throws {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var partnerLines = ["partner_id,name,type,region,joined_on"]
    for (id, p) in partners.sorted(by: { $0.key < $1.key }) {
      partnerLines.append("\(id),\(p.mark),\(p.type),emea,2024-01-01")
    }
    var dealLines = ["deal_id,partner_id,source,created_on,stage,closed_on,amount,product"]
    for (id, d) in deals.sorted(by: { $0.key < $1.key }) {
      dealLines.append("\(id),\(d.partner),sourced,2025-01-01,won,\(d.closedOn),\(Self.amount(d.cents)),\(d.mark)")
    }
    try (partnerLines.joined(separator: "\n") + "\n").write(
      to: dir.appendingPathComponent("partners.csv"), atomically: true, encoding: .utf8)
    try (dealLines.joined(separator: "\n") + "\n").write(
      to: dir.appendingPathComponent("deals.csv"), atomically: true, encoding: .utf8)
  }

  /// `a` with the rows of `b` upserted.
  static func merged(_ a: CrashProgram, _ b: CrashProgram) -> CrashProgram {
    var p = a
    p.deals.merge(b.deals) { $1 }
    p.partners.merge(b.partners) { $1 }
    return p
  }

  static func amount(_ cents: Int64) -> String { "\(cents / 100).\(String(format: "%02d", cents % 100))" }

  /// Revenue (won deals' amounts by the quarter they closed in), in cents, per partner and
  /// quarter of 2025: the catalog's `revenue`, worked out from the rows.
  func revenue() -> [String: Int64] {
    var out: [String: Int64] = [:]
    for p in partners.keys {
      for q in 1...4 { out["partner:\(p) 2025-Q\(q)"] = 0 }
    }
    for d in deals.values {
      let month = Int(d.closedOn.dropFirst(5).prefix(2)) ?? 0
      out["partner:\(d.partner) 2025-Q\((month - 1) / 3 + 1)", default: 0] += d.cents
    }
    return out
  }

  /// Reads the program back from an export (`channelkpi export`), failing on anything the test
  /// did not write.
  static func read(export dir: URL) throws -> CrashProgram {
    var p = CrashProgram()
    for row in try CSVFile.rows(dir.appendingPathComponent("partners.csv")) {
      p.partners[row["partner_id", default: ""]] = Partner(
        type: row["type", default: ""], mark: row["name", default: ""])
    }
    for row in try CSVFile.rows(dir.appendingPathComponent("deals.csv")) {
      let cents = try #require(CSVFile.cents(row["amount", default: ""]), "amount \(row)")
      p.deals[row["deal_id", default: ""]] = Deal(
        partner: row["partner_id", default: ""], closedOn: row["closed_on", default: ""], cents: cents,
        mark: row["product", default: ""])
    }
    return p
  }
}

/// A batch the crash test posts: new rows and updates of rows stored in earlier rounds, all
/// carrying the batch's name, so the test can tell from an export whether it was stored whole,
/// not at all, or (the failure looked for) in part.
struct CrashBatch {
  var name: String
  var table: String
  var deals: [String: CrashProgram.Deal] = [:]
  var partners: [String: CrashProgram.Partner] = [:]

  /// Eight new deals and updates of `older` deals (moved to another month, amount up by a unit),
  /// or, every third batch, two new partners and updates of `olderPartners`.
  static func make(
    round: Int, client: Int, number: Int, older: [(String, CrashProgram.Deal)],
    olderPartners: [(String, CrashProgram.Partner)]
  ) -> CrashBatch {
    let name = "R\(round)C\(client)N\(number)"
    if number % 3 == 2 {
      var b = CrashBatch(name: name, table: "partners")
      for i in 0..<2 { b.partners["\(name)-P\(i)"] = .init(type: i == 0 ? "msp" : "reseller", mark: name) }
      for (id, p) in olderPartners { b.partners[id] = .init(type: p.type == "msp" ? "reseller" : "msp", mark: name) }
      return b
    }
    var b = CrashBatch(name: name, table: "deals")
    for i in 0..<8 {
      let seq = round * 97 + client * 31 + number * 7 + i
      b.deals["\(name)-\(i)"] = .init(
        partner: CrashProgram.dealPartners[seq % 5], closedOn: "2025-\(CrashProgram.month(seq))-\(10 + i)",
        cents: Int64(1_000 + seq * 111), mark: name)
    }
    for (id, d) in older {
      let seq = round + number + client
      b.deals[id] = .init(
        partner: d.partner, closedOn: "2025-\(CrashProgram.month(seq + 5))-20", cents: d.cents + 100, mark: name)
    }
    return b
  }

  /// The API body: `{"records":[…]}`.
  var body: String {
    let records: [String]
    if table == "partners" {
      records = partners.sorted { $0.key < $1.key }.map { id, p in
        #"{"partner_id":"\#(id)","name":"\#(p.mark)","type":"\#(p.type)","region":"emea","joined_on":"2024-01-01"}"#
      }
    } else {
      records = deals.sorted { $0.key < $1.key }.map { id, d in
        #"{"deal_id":"\#(id)","partner_id":"\#(d.partner)","source":"sourced","created_on":"2025-01-01","#
          + #""stage":"won","closed_on":"\#(d.closedOn)","amount":"\#(CrashProgram.amount(d.cents))","#
          + #""product":"\#(d.mark)"}"#
      }
    }
    return #"{"records":["# + records.joined(separator: ",") + "]}"
  }

  /// How many of the batch's rows `program` holds exactly as the batch wrote them.
  func stored(in program: CrashProgram) -> Int {
    deals.filter { program.deals[$0.key] == $0.value }.count
      + partners.filter { program.partners[$0.key] == $0.value }.count
  }

  var count: Int { deals.count + partners.count }

  /// The program with the batch stored.
  func applied(to program: CrashProgram) -> CrashProgram {
    CrashProgram.merged(program, CrashProgram(deals: deals, partners: partners))
  }
}

/// Reading the canonical CSV an export writes (the crash tests' values hold no commas or quotes).
enum CSVFile {
  static func rows(_ url: URL) throws -> [[String: String]] {
    let text = try String(contentsOf: url, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    guard !lines.isEmpty else { return [] }
    let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    return try lines.map { line in
      #expect(!line.contains("\""), "a quoted value in \(url.lastPathComponent): \(line)")
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      try #require(fields.count == header.count, "\(url.lastPathComponent): \(line)")
      return Dictionary(uniqueKeysWithValues: zip(header, fields))
    }
  }

  /// "123.45", "123.5" or "123" as cents.
  static func cents(_ text: String) -> Int64? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard let whole = Int64(parts[0]), parts.count <= 2 else { return nil }
    guard parts.count == 2 else { return whole * 100 }
    let fraction = String(parts[1]).padding(toLength: 2, withPad: "0", startingAt: 0)
    guard fraction.count == 2, let f = Int64(fraction) else { return nil }
    return whole * 100 + f
  }
}
