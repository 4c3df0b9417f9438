import ChannelKPI
import Foundation
import Testing

@testable import ChannelKPIServer

/// Formatting, periods, routes, escaping and the multipart parser.
@Suite struct DashboardSupportTests {
  @Test func valuesAreFormattedForPeople() {
    #expect(DashboardFormat.value(1_234_567, unit: .money) == "$1,234,567")
    #expect(DashboardFormat.value(450.5, unit: .money) == "$450.50")
    #expect(DashboardFormat.value(-1500, unit: .money) == "\u{2212}$1,500")
    #expect(DashboardFormat.value(0.2346, unit: .rate) == "23.5%")
    #expect(DashboardFormat.value(42.06, unit: .days) == "42.1 days")
    #expect(DashboardFormat.value(nil, unit: .money) == "—")
    #expect(DashboardFormat.value(.nan, unit: .rate) == "—")
    #expect(DashboardFormat.compact(1_234_567, unit: .money) == "$1.23M")
    #expect(DashboardFormat.compact(845_200, unit: .money) == "$845K")
    #expect(DashboardFormat.compact(12_340, unit: .count) == "12.3K")
    #expect(DashboardFormat.compact(999.7, unit: .money) == "$1K")
    #expect(DashboardFormat.compact(512, unit: .money) == "$512")
  }

  @Test func changesRespectTheBetterDirection() {
    let up = ValueChange.between(110, 100, unit: .money, better: .higher)
    #expect(up?.text == "+10.0%")
    #expect(up?.tone == .good)
    let slower = ValueChange.between(30, 25, unit: .days, better: .lower)
    #expect(slower?.direction == .up)
    #expect(slower?.tone == .bad)
    #expect(ValueChange.between(0.5, 0.52, unit: .rate, better: .higher)?.text == "\u{2212}2.0 pts")
    #expect(ValueChange.between(10, 0, unit: .money, better: .higher) == nil)
    #expect(ValueChange.between(100, 100, unit: .money, better: .higher)?.tone == .neutral)
  }

  @Test func periodsResolveFromTheQuery() throws {
    let coverage = MonthRange(first: Month(year: 2024, month: 1), last: Month(year: 2025, month: 5))
    #expect(try PeriodSelection.resolve(grain: nil, period: nil, coverage: coverage)?.period.description == "2025-Q2")
    #expect(
      try PeriodSelection.resolve(grain: "month", period: nil, coverage: coverage)?.period.description == "2025-05")
    // A quarter asked for by month: its last month with data.
    #expect(
      try PeriodSelection.resolve(grain: "month", period: "2025-Q2", coverage: coverage)?.period.description
        == "2025-05")
    #expect(
      try PeriodSelection.resolve(grain: "year", period: "2024-03", coverage: coverage)?.period.description == "2024")
    #expect(
      try PeriodSelection.resolve(grain: nil, period: "2024-Q3", coverage: coverage)?.period.description == "2024-Q3")
    #expect(throws: DashboardError.self) {
      try PeriodSelection.resolve(grain: nil, period: "2024-Q5", coverage: coverage)
    }
    #expect(throws: DashboardError.self) { try PeriodSelection.resolve(grain: "week", period: nil, coverage: coverage) }
    #expect(throws: DashboardError.self) { try PeriodSelection.resolve(grain: nil, period: "2019", coverage: coverage) }
    #expect(try PeriodSelection.resolve(grain: nil, period: nil, coverage: nil) == nil)
  }

  @Test func routesBuildEncodedURLs() throws {
    let s = PeriodSelection(try #require(Period("2025-Q2")))
    #expect(DashboardRoute.overview.url(s) == "/?grain=quarter&period=2025-Q2")
    #expect(DashboardRoute.partner("P5/x&y").url(nil) == "/partners/P5%2Fx%26y")
    #expect(DashboardRoute.kpi("win_rate").url(nil) == "/kpis/win_rate")
    #expect(DashboardRoute.stylesheet.url(s) == "/assets/app.css")
    let filtered = DashboardRoute.partners(
      PartnerFilter(search: "a b", type: "msp", sort: "name", descending: false, page: 3))
    #expect(filtered.url(nil) == "/partners?q=a%20b&type=msp&sort=name&order=asc&page=3")
    #expect(DashboardRoute.partnerList.url(nil) == "/partners")
    // What the routes write, the query parser reads back.
    let q = DashboardQuery(raw: "q=a%20b&type=msp&x=1+2")
    #expect(q.string("q") == "a b")
    #expect(q.string("x") == "1 2")
  }

  @Test func escapingCoversTextAndAttributes() {
    #expect(HTMLEscape.text("a < b & c > d") == "a &lt; b &amp; c &gt; d")
    #expect(HTMLEscape.text("&amp;") == "&amp;amp;")
    #expect(HTMLEscape.attribute("\"x\" 'y' <z>") == "&quot;x&quot; &#39;y&#39; &lt;z&gt;")
    // Quotes need no escaping in text, and text without anything to escape comes back as it is.
    #expect(HTMLEscape.text("\"x\" 'y'") == "\"x\" 'y'")
    #expect(HTMLEscape.attribute("plain") == "plain")
  }

  @Test func multipartBodiesParse() throws {
    let body = Array(
      ("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"table\"\r\n\r\ndeals\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"my \\\"deals\\\".csv\"\r\n"
        + "Content-Type: text/csv\r\n\r\na,b\r\n1,2\r\n\r\n--XyZ\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n--XyZ--\r\n")
        .utf8)
    #expect(Multipart.boundary(contentType: "multipart/form-data; boundary=XyZ") == "XyZ")
    #expect(Multipart.boundary(contentType: "multipart/form-data; boundary=\"a;b\"") == "a;b")
    #expect(Multipart.boundary(contentType: "application/json") == nil)
    let parts = try Multipart.parse(body, boundary: "XyZ")
    #expect(parts.map(\.name) == ["table", "file", "empty"])
    #expect(parts[0].text == "deals")
    #expect(parts[1].filename == "my \"deals\".csv")
    #expect(parts[1].contentType == "text/csv")
    #expect(parts[1].text == "a,b\r\n1,2\r\n")
    #expect(parts[2].text == "")
  }

  @Test func malformedMultipartBodiesFail() {
    #expect(throws: Multipart.Failure.self) { try Multipart.parse(Array("no boundary here".utf8), boundary: "XyZ") }
    #expect(throws: Multipart.Failure.self) {
      try Multipart.parse(
        Array("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncut short".utf8), boundary: "XyZ")
    }
    #expect(throws: Multipart.Failure.self) {
      try Multipart.parse(Array("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--".utf8), boundary: "XyZ")
    }
  }

  @Test func uploadFileNamesAreSafe() {
    #expect(DashboardController.displayName("C:\\Users\\me\\deals.csv") == "deals.csv")
    #expect(DashboardController.displayName("../../etc/passwd") == "passwd")
    #expect(DashboardController.storedName("deals.csv", table: .deals) == "deals.csv")
    #expect(DashboardController.storedName("export 2025.csv", table: .deals) == "deals.export_2025.csv")
    #expect(DashboardController.storedName("leads.txt", table: .leads) == "leads.txt.csv")
    #expect(DashboardController.storedName("..", table: .leads) == "leads._...csv")
  }

  @Test func histogramBinsAreRound() {
    let bins = Histogram.bins([1, 2, 3, 14, 25])
    #expect(bins.first?.lower == 0)
    #expect(bins.map(\.count).reduce(0, +) == 5)
    #expect(Histogram.bins([7, 7]).count == 1)
    #expect(Histogram.bins([]).isEmpty)
    #expect(NiceScale(min: 3, max: 97, ticks: 5, includeZero: true).ticks == [0, 20, 40, 60, 80, 100])
  }
}
