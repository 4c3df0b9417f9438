import ArgumentParser
import ChannelKPI

@main
struct ChannelKPICommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "channelkpi",
    abstract: "Key performance indicators of a channel-partner program.",
    discussion: """
      Import a program's data (canonical CSV files), then compute any KPI of the catalog for any \
      partner, partner type, region, tier or the whole network, by month, quarter or year.

        channelkpi demo-data --out demo        # write a realistic demo program
        channelkpi import demo                 # store it (channelkpi.sqlite here)
        channelkpi compute --grain quarter     # a quarterly network scorecard
      """,
    version: ChannelKPIVersion.string,
    subcommands: [
      ServeCommand.self, ImportCommand.self, ExportCommand.self, CopyCommand.self, ComputeCommand.self,
      KPIsCommand.self, ProgramCommand.self,
      ScorecardCommand.self,
      TargetsCommand.self, ObjectivesCommand.self, ReviewCommand.self, CheckCommand.self, TiersCommand.self,
      StatementsCommand.self, MDFCommand.self, WhatIfCommand.self, DemoDataCommand.self,
      ReportsCommand.self, UsersCommand.self, KeysCommand.self, AuditCommand.self, BenchmarkCommand.self,
      ExplainCommand.self, BenchmarkPeersCommand.self, ForecastCommand.self, AlertsCommand.self, WebhooksCommand.self,
      LifecycleCommand.self, DigestCommand.self,
    ])
}
