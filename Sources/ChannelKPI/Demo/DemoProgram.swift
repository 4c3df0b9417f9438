/// Generates a realistic, deterministic demo partner program: every canonical table, streamed
/// row by row into a sink, so that even programs of millions of deals need little memory.
public enum DemoProgram {
  /// Writes the demo program of `configuration` into `sink`: all partners first, then each
  /// partner's campaigns, deals, customers, leads, traffic, surveys, tickets and certifications
  /// (rows a row refers to come before it), then the market. The same configuration always gives
  /// the same rows in the same order.
  public static func generate(_ configuration: DemoConfiguration, into sink: inout some DemoSink) {
    var generator = DemoGenerator(configuration)
    generator.run(into: &sink)
  }
}
