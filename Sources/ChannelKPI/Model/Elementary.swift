/// Elementary functions for statistics outside the demo generator, from the same IEEE-only
/// implementations (the domain target has no Foundation).
enum Elementary {
  static func log(_ x: Double) -> Double { DemoMath.log(x) }
  static func exp(_ x: Double) -> Double { DemoMath.exp(x) }
}
