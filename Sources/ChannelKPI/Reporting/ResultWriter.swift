/// Writes computed KPI values as CSV, JSON or a table for people, streaming through `write`.
public enum ResultWriter {
  /// `kpi,scope,period,value`, one row per KPI, scope and period.
  public static func csv(_ r: some ValueGrid, to write: (String) -> Void) {
    write("kpi,scope,period,value\n")
    let scopes = r.scopes.map { CSVText.field($0.description) }
    let periods = r.columnLabels
    for k in r.kpis.indices {
      let kpi = CSVText.field(r.kpis[k]) + ","
      for s in r.scopes.indices {
        let prefix = kpi + scopes[s] + ","
        for p in periods.indices {
          write(prefix + periods[p] + "," + ValueFormat.machine(r.value(kpi: k, scope: s, column: p)) + "\n")
        }
      }
    }
  }

  /// `{"values":[{"kpi":…,"scope":…,"period":…,"value":number|null}, …]}`.
  public static func json(_ r: some ValueGrid, to write: (String) -> Void) {
    write("{\"values\":[")
    var first = true
    let scopes = r.scopes.map { JSON.string($0.description) }
    let periods = r.columnLabels.map { JSON.string($0) }
    for k in r.kpis.indices {
      let kpi = "{\"kpi\":" + JSON.string(r.kpis[k]) + ",\"scope\":"
      for s in r.scopes.indices {
        for p in periods.indices {
          let v = r.value(kpi: k, scope: s, column: p)
          write(
            (first ? "" : ",") + kpi + scopes[s] + ",\"period\":" + periods[p] + ",\"value\":" + JSON.number(v) + "}")
          first = false
        }
      }
    }
    write("]}\n")
  }

  /// One block per scope: KPIs grouped by family down, periods across, values formatted by unit.
  public static func table(_ r: some ValueGrid, catalog: Catalog, lastPeriods: Int?, to write: (String) -> Void) {
    let labels = r.columnLabels
    var periodIndexes = Array(labels.indices)
    var note = ""
    if let n = lastPeriods, periodIndexes.count > n {
      note = "(the last \(n) of \(periodIndexes.count) periods; use --from and --to for others)\n"
      periodIndexes = Array(periodIndexes.suffix(n))
    }
    let byId = Dictionary(catalog.kpis.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    for s in r.scopes.indices {
      write("\n\(r.scopes[s].description)\n")
      var rows: [[String]] = []
      var family = ""
      let order = r.kpis.indices.sorted {
        familyRank(byId[r.kpis[$0]]?.family) < familyRank(byId[r.kpis[$1]]?.family)
      }
      for k in order {
        let def = byId[r.kpis[k]]
        if let f = def?.family, f != family {
          family = f
          rows.append([familyTitle(f)] + periodIndexes.map { _ in "" })
        }
        let unit = def?.unit ?? .number
        rows.append(
          ["  " + (def?.name ?? r.kpis[k])]
            + periodIndexes.map { ValueFormat.human(r.value(kpi: k, scope: s, column: $0), unit: unit) })
      }
      write(
        TextTable.render(
          header: ["KPI"] + periodIndexes.map { labels[$0] }, rows: rows, rightAlignFrom: 1))
    }
    if !note.isEmpty { write("\n" + note) }
  }

  static let families = [
    "partner_performance", "sales_effectiveness", "marketing_roi", "customer_satisfaction", "enablement",
    "customer_value",
  ]

  static func familyRank(_ f: String?) -> Int { f.flatMap { families.firstIndex(of: $0) } ?? families.count }

  /// `partner_performance` → `Partner performance`.
  public static func familyTitle(_ f: String) -> String {
    switch f {
    case "marketing_roi": return "Marketing ROI"
    default:
      let words = f.split(separator: "_").map(String.init)
      guard let first = words.first else { return f }
      return ([first.prefix(1).uppercased() + first.dropFirst()] + words.dropFirst()).joined(separator: " ")
    }
  }
}

/// Plain-text tables with aligned columns.
public enum TextTable {
  public static func render(header: [String], rows: [[String]], rightAlignFrom: Int = Int.max) -> String {
    var widths = header.map(\.count)
    for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { i, c in
        let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
        return i >= rightAlignFrom ? pad + c : c + pad
      }.joined(separator: "  ")
    }
    var out = line(header) + "\n" + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
    for r in rows { out += line(r) + "\n" }
    return out
  }
}

/// JSON text for strings and numbers.
public enum JSON {
  public static func string(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          let hex = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }

  public static func number(_ v: Double?) -> String {
    let s = ValueFormat.machine(v)
    return s.isEmpty ? "null" : s
  }
}

/// RFC 4180 quoting of CSV fields.
public enum CSVText {
  public static func field(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

extension String {
  fileprivate func replacingOccurrences(of a: String, with b: String) -> String {
    split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
  }
}
