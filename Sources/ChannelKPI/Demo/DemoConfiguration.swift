/// What demo program to generate: how many partners, over which months, from which seed, how busy.
public struct DemoConfiguration: Sendable {
  /// Number of partners, each with its own activity.
  public var partners: Int
  /// Number of calendar months covered, ending with `lastMonth`.
  public var months: Int
  /// The seed of every random choice; the same configuration always gives the same rows.
  public var seed: UInt64
  /// Multiplies each partner's activity volume (deals, leads, campaigns, traffic, tickets, …).
  public var scale: Double
  /// The last month covered.
  public var lastMonth: Month

  public init(
    partners: Int = 120, months: Int = 24, seed: UInt64 = 1, scale: Double = 1.0,
    lastMonth: Month = Month(year: 2025, month: 12)
  ) {
    self.partners = partners
    self.months = months
    self.seed = seed
    self.scale = scale
    self.lastMonth = lastMonth
  }

  /// The first month covered (at least one month is always covered).
  public var firstMonth: Month { lastMonth - Int32(max(1, months) - 1) }
}
