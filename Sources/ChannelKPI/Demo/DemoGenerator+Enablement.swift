extension DemoGenerator {
  /// The certifications of the partner's first staff: right after joining for partners that join
  /// in the range, early in the range for older ones (the range holds no earlier facts).
  mutating func certifyStaff<S: DemoSink>(_ p: DemoPartner, into sink: inout S) {
    guard p.certifies else { return }
    let people = max(1, rng.poisson(p.type.certifiedStaff * p.size.squareRoot() * scale))
    let joinsInRange = p.joined >= range.start
    let base = joinsInRange ? p.joined : range.start
    for _ in 0..<people {
      let person = DemoText.id("E", next.person, width: 6)
      next.person += 1
      let enrolled = base + Int32(rng.below(joinsInRange ? 45 : 60))
      var any = false
      for (program, share) in DemoGenerator.onboardingPrograms where rng.chance(share) {
        any = true
        certify(
          p, person: person, program: program, enrolled: enrolled + Int32(rng.below(20)),
          completion: joinsInRange ? 25 : 12, into: &sink)
      }
      if !any {
        certify(p, person: person, program: "sales", enrolled: enrolled, completion: 20, into: &sink)
      }
    }
  }

  /// Programs staff enroll in when their partner starts, with the share of people who do.
  static let onboardingPrograms: [(String, Double)] = [("sales", 0.85), ("technical", 0.55), ("presales", 0.35)]
  static let laterPrograms: [String] = ["sales", "technical", "presales"]
  static let laterProgramWeights: [Double] = [0.5, 0.3, 0.2]

  /// New staff who enroll over time.
  mutating func newStaff<S: DemoSink>(_ p: DemoPartner, _ w: DemoWindow, presence: Double, into sink: inout S) {
    guard p.certifies else { return }
    let n = rng.poisson(0.06 * p.type.certifiedStaff * p.size.squareRoot() * presence)
    for _ in 0..<n {
      let person = DemoText.id("E", next.person, width: 6)
      next.person += 1
      let program = DemoGenerator.laterPrograms[rng.pick(DemoGenerator.laterProgramWeights)]
      certify(
        p, person: person, program: program, enrolled: w.first + Int32(rng.below(w.dayCount)),
        completion: 20, into: &sink)
    }
  }

  /// One enrollment; about one in five is never completed.
  mutating func certify<S: DemoSink>(
    _ p: DemoPartner, person: String, program: String, enrolled: Day, completion: Double, into sink: inout S
  ) {
    let lastActive = p.left.map { min($0 - 1, range.end) } ?? range.end
    guard enrolled <= lastActive else { return }
    var completed = ""
    if rng.chance(0.8) {
      let day = enrolled + Int32(3 + rng.logNormal(median: completion, sigma: 0.6))
      if day <= lastActive { completed = days[day] }
    }
    rows.certification[0] = DemoText.id("CE", next.certification, width: 6)
    next.certification += 1
    rows.certification[1] = p.id
    rows.certification[2] = person
    rows.certification[3] = program
    rows.certification[4] = days[enrolled]
    rows.certification[5] = completed
    sink.write(.certifications, rows.certification)
  }
}
