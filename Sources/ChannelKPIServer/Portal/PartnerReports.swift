public import ChannelKPI
import Foundation
import Logging

/// The portal's printable report of each partner, as files to send: self-contained HTML, the
/// stylesheet inside, one file per partner.
public enum PartnerReports {
  /// Writes `DIR/PARTNER.html` for every partner in the program during the period (or those
  /// named); returns the files written.
  public static func write(
    service: KPIService, period: Period, partners: [String]? = nil, currency: Currency = .usd, to directory: String
  ) async throws -> [String] {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let chosen = service.partners().filter { p in
      partners.map { $0.contains(p.id) }
        ?? p.isInProgram(during: MonthRange(first: period.firstMonth, last: period.lastMonth))
    }
    let selection = PeriodSelection(period)
    let chrome = await PageChrome.build(service: service, route: .overview, selection: selection, title: "Report")
    var written: [String] = []
    try await DashboardFormat.$currency.withValue(currency.prefix) {
      for p in chosen {
        let model = try await PortalPage.build(
          service: service, chrome: chrome, partner: p, printable: true, logger: Logger(label: "channelkpi.reports"))
        let html = PortalPage.View(model: model, embeddedStyles: true).render()
        let name = p.id.unicodeScalars.map {
          CharacterSet.alphanumerics.contains($0) || "-_".unicodeScalars.contains($0) ? String($0) : "_"
        }.joined()
        let path = (directory as NSString).appendingPathComponent("\(name).html")
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        written.append(path)
      }
    }
    return written
  }
}
