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

  @Test func deeplyNestedParenthesesAreAnErrorNotAStackOverflow() {
    // Nesting level k starts at the k-th '(', so level 65 fails at the 65th: file column 13 + 65.
    let formula = String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
    #expect(
      errors(kpi(formula)) == [
        "kpis.yaml:4:78: KPI 'deep' (formula): the formula nests more than 64 levels deep (parentheses, calls, 'not' and '-'); simplify it"
      ])
  }

  @Test func aLongChainOfNegationsIsAnErrorToo() {
    // Each '-' opens a level after the formula's own: the 64th opens level 65, at file column 13 + 64.
    #expect(
      errors(kpi(String(repeating: "-", count: 10_000) + "1")) == [
        "kpis.yaml:4:77: KPI 'deep' (formula): the formula nests more than 64 levels deep (parentheses, calls, 'not' and '-'); simplify it"
      ])
  }

  @Test func aFormulaOfTooManyTokensIsAnError() {
    // "1+1+…": token 4,001 (0-based 4,000) is at formula column 4,001, file column 4,014.
    let formula = "1" + String(repeating: "+1", count: 2_500)
    #expect(
      errors(kpi(formula)) == [
        "kpis.yaml:4:4014: KPI 'deep' (formula): the formula has more than 4000 tokens; split it with 'let:' or into KPIs of its own"
      ])
  }

  @Test func aLongButAllowedFormulaCompiles() {
    // 3,999 tokens: a left-deep tree 1,999 additions deep, which the checker walks recursively.
    #expect(errors(kpi("1" + String(repeating: "+1", count: 1_999))) == ["compiled"])
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
