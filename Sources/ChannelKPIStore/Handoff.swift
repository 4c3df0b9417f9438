/// Carries a value that is not `Sendable` (a record source, an engine, a row callback) to the
/// database's queue for one call. The caller awaits that call and does not touch the value until
/// it returns, so the value is only ever used by one thread at a time.
final class Handoff<Value>: @unchecked Sendable {
  var value: Value
  init(_ value: Value) { self.value = value }
}
