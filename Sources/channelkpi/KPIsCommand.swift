import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

struct KPIsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kpis",
    abstract: "List the KPI catalog.",
    discussion: """
      With --format yaml the catalog is printed as a definitions file: a starting point for your own \
      KPIs (pass it back with --catalog).
      """)

  enum Format: String, ExpressibleByArgument { case table, csv, json, yaml }

  @Option(help: "Output format: table, csv, json or yaml.")
  var format: Format = .table

  @OptionGroup var definitions: CatalogOptions

  func run() throws {
    let catalog = try definitions.compiled().catalog
    let out = Console.Output()
    switch format {
    case .yaml:
      out.write(CatalogFile.yaml(catalog))
    case .csv:
      out.write("id,name,family,unit,better,stages\n")
      for k in catalog.kpis {
        out.write(
          CSVFormat.line([
            k.id, k.name, k.family, k.unit.rawValue, k.better.rawValue, k.stages.map(\.rawValue).joined(separator: " "),
          ]) + "\n")
      }
    case .json:
      let items = catalog.kpis.map { k in
        "{\"id\":\(JSON.string(k.id)),\"name\":\(JSON.string(k.name)),\"family\":\(JSON.string(k.family)),\"unit\":\(JSON.string(k.unit.rawValue)),\"better\":\(JSON.string(k.better.rawValue)),\"stages\":[\(k.stages.map { JSON.string($0.rawValue) }.joined(separator: ","))],\"description\":\(JSON.string(k.description)),\"formula\":\(JSON.string(k.formula)),\"min\":\(JSON.number(k.minimum)),\"max\":\(JSON.number(k.maximum))}"
      }
      out.write("{\"kpis\":[\(items.joined(separator: ","))]}\n")
    case .table:
      let rows = catalog.kpis.map {
        [
          $0.id, $0.name, $0.family, $0.unit.rawValue, $0.better.rawValue,
          $0.stages.map(\.rawValue).joined(separator: ", "),
        ]
      }
      out.write(TextTable.render(header: ["id", "name", "family", "unit", "better", "stages"], rows: rows))
    }
    out.flush()
  }
}
