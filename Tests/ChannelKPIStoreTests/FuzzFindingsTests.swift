import ChannelKPI
import ChannelKPIStore
import Testing

/// Inputs the fuzzer (channelkpi-fuzz) found that crashed a parser or got an error that did not
/// point into the file, with the error each gets now.
@Suite struct FuzzFindingsTests {
  private func errors(_ yaml: String) -> [String] {
    do {
      _ = try CatalogFile.compile(files: [(path: "kpis.yaml", yaml: yaml)])
      return ["compiled"]
    } catch {
      return error.errors.map(\.description)
    }
  }

  private func kpi(_ formula: String) -> String {
    "kpis:\n  - id: deep\n    name: Deep\n    formula: \(formula)\n"
  }

  private let tooDeep =
    "the formula nests more than 100 levels deep (parentheses, calls, 'not', '-' and chains of operators); "
    + "split it with 'let:'"

  @Test func deeplyNestedParenthesesAreAnErrorNotAStackOverflow() {
    // Level k starts at the k-th '(', so level 101 fails at the 101st: file column 13 + 101.
    let formula = String(repeating: "(", count: 1_000) + "1" + String(repeating: ")", count: 1_000)
    #expect(errors(kpi(formula)) == ["kpis.yaml:4:114: KPI 'deep' (formula): \(tooDeep)"])
  }

  @Test func aLongChainOfNegationsIsAnErrorToo() {
    // Each '-' opens a level after the formula's own: the 100th opens level 101, file column 13 + 100.
    #expect(
      errors(kpi(String(repeating: "-", count: 1_000) + "1")) == ["kpis.yaml:4:113: KPI 'deep' (formula): \(tooDeep)"])
  }

  @Test func aLongChainOfAdditionsIsAnErrorToo() {
    // "1+1+…" is a left-deep tree the checker walks recursively: the 100th '+' (formula column 200,
    // file column 213) opens level 101.
    #expect(
      errors(kpi("1" + String(repeating: "+1", count: 1_000))) == ["kpis.yaml:4:213: KPI 'deep' (formula): \(tooDeep)"])
    // 99 additions stay within the limit.
    #expect(errors(kpi("1" + String(repeating: "+1", count: 99))) == ["compiled"])
  }

  @Test func aFormulaOfTooManyTokensIsAnError() {
    // "least(1,1,…)": token i (from 0) of the formula is at its column i + 5 for i ≥ 2, so token
    // 4,000 is at formula column 4,005, file column 4,018.
    let formula = "least(" + Array(repeating: "1", count: 2_500).joined(separator: ",") + ")"
    #expect(
      errors(kpi(formula)) == [
        "kpis.yaml:4:4018: KPI 'deep' (formula): the formula has more than 4000 tokens; split it with 'let:' or into KPIs of its own"
      ])
  }

  @Test func aBrokenOverrideOfABuiltInKPIIsReportedOnceInTheFile() {
    // web_visits is used by the built-in visit_to_lead_rate: its error used to be repeated at
    // "built-in catalog:1:19", a place the user cannot open.
    let yaml = "kpis:\n  - id: web_visits\n    name: Web visits\n    formula: count(deals where closed_on in perio)\n"
    #expect(
      errors(yaml) == [
        "kpis.yaml:4:45: KPI 'web_visits' (formula): expected '(' after 'in' (a list such as ('won', 'lost') or a set such as (leads.deal_id where …)), found perio"
      ])
  }

  @Test func aHugeNumberOfDaysIsAnErrorNotAnOverflow() {
    // A day ± a number: the number became an Int64 without a bound. The error is at the
    // subtraction, which starts with min( at file column 14.
    let yaml = """
      partner_facts:
        - name: first_won_on
          formula: min(deals.closed_on where stage = 'won') - 9223372036854775808
      """
    #expect(
      errors(yaml) == [
        "kpis.yaml:3:14: partner fact 'first_won_on': a number of days must be whole, from -1000000 to 1000000"
      ])
  }

  @Test func aPatternErrorInAScalarOverTwoLinesStaysOnTheScalarsLine() {
    // The second Z is character 21 of the folded pattern, past the end of line 5 (58
    // characters): the error stands at the scalar's opening quote, column 39, not at column 60.
    let yaml = """
      table: support_tickets
      fields:
        ticket_id: T
        partner_id: P
        opened_at: {column: O, date_format: "YYYY-MM-DD'T'HH:mmZ
          Z"}
      """
    do {
      _ = try ImportMapping.parse(yaml: yaml, file: "mapping.yaml")
      Issue.record("parsed")
    } catch {
      #expect(
        error.errors.map(\.description) == [
          "mapping.yaml:5:39: the date_format 'YYYY-MM-DD'T'HH:mmZ Z' reads the offset twice (also at character 19)"
        ])
    }
  }

  @Test func aHugeHygieneCountIsAnErrorNotAnOverflow() {
    do {
      _ = try ProgramFiles.parse(["program.yaml": "hygiene:\n  recent_periods: 1e300\n"])
      Issue.record("parsed")
    } catch {
      #expect(
        error.errors.map(\.description) == [
          "program.yaml:2:19: 'recent_periods' must be a whole number from 1 to 10000"
        ])
    }
  }
}
