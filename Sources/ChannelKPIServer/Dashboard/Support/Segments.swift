import ChannelKPI

/// Names of KPI families and segments (types, regions, tiers) for people.
enum Segments {
  /// The families in the order the overview shows them; others follow by name.
  static let familyOrder = [
    "partner_performance", "sales_effectiveness", "marketing_roi", "customer_satisfaction", "enablement",
    "customer_value",
  ]

  static func familyTitle(_ f: String) -> String {
    switch f {
    case "partner_performance": "Partner performance"
    case "sales_effectiveness": "Sales effectiveness"
    case "marketing_roi": "Marketing ROI"
    case "customer_satisfaction": "Customer satisfaction"
    case "enablement": "Enablement"
    case "customer_value": "Customer value"
    default: DashboardFormat.humanize(f)
    }
  }

  /// Families present in a catalog, in display order.
  static func families(_ kpis: [KPIDefinition]) -> [String] {
    var seen = Set<String>()
    let present = kpis.map(\.family).filter { seen.insert($0).inserted }
    return familyOrder.filter(present.contains) + present.filter { !familyOrder.contains($0) }.sorted()
  }

  /// `emea` → `EMEA`, `msp` → `MSP`, `system_integrator` → `System integrator`.
  static func label(_ kind: ScopeKind, _ value: String) -> String {
    if kind == .region && value.count <= 5 && value.allSatisfy(\.isLetter) { return value.uppercased() }
    if value.count <= 3 && value.allSatisfy(\.isLetter) && kind != .tier { return value.uppercased() }
    return DashboardFormat.humanize(value)
  }

  static func kindTitle(_ kind: ScopeKind) -> String {
    switch kind {
    case .network: "Network"
    case .partner: "Partner"
    case .type: "Partner type"
    case .region: "Region"
    case .tier: "Tier"
    }
  }
}
