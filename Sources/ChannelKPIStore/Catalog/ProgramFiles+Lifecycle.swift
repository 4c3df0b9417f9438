import ChannelKPI
import Yams

extension ProgramFiles.Parser {
  /// `lifecycle:` — the rules that place partners in stages (each optional; the defaults stand).
  mutating func lifecycle(_ v: Node, _ path: String) {
    let keys = ["grain", "onboarding_days", "inactive_periods", "falling_periods", "alerts_mean_at_risk"]
    var errs: [DefinitionFileError] = []
    guard let f = fields(v, keys, "'lifecycle'", path, &errs) else {
      errors += errs
      return
    }
    errors += errs
    func whole(_ k: String, _ range: ClosedRange<Int>) -> Int? { self.whole(f[k], k, path, range) }
    if let g = grain(f["grain"], "grain", path) { defs.lifecycle.grain = g }
    if let x = whole("onboarding_days", 1...3650) { defs.lifecycle.onboardingDays = x }
    if let x = whole("inactive_periods", 1...24) { defs.lifecycle.inactivePeriods = x }
    if let x = whole("falling_periods", 1...24) { defs.lifecycle.fallingPeriods = x }
    if let t = text(f["alerts_mean_at_risk"], "alerts_mean_at_risk", path) {
      switch t {
      case "true", "yes": defs.lifecycle.alertsMeanAtRisk = true
      case "false", "no": defs.lifecycle.alertsMeanAtRisk = false
      default: error(path, f["alerts_mean_at_risk"]?.mark, "'alerts_mean_at_risk' is true or false, not '\(t)'")
      }
    }
  }
}
