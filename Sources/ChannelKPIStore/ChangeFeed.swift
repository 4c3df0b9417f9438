public import ChannelKPI
import Foundation

/// What one entry of the change log says happened.
public enum ChangeKind: String, Sendable, Hashable, Codable {
  /// A small batch of facts, carried in the entry.
  case facts
  /// Facts changed in bulk (an import): readers reload every fact.
  case reload
  /// A new definitions version: readers reload definitions and facts.
  case definitions
  /// A review was recorded.
  case reviews
  /// Statement approvals, revocations or tier records changed.
  case incentives
}

/// One committed write, as other instances on the same store learn of it.
///
/// Positions are contiguous and in commit order: change `n + 1` committed after change `n`, so
/// an instance that has applied every change up to `n` and then applies `n + 1` holds what the
/// store held right after `n + 1` committed.
public struct StoreChange: Sendable, Hashable {
  public var position: Int64
  public var kind: ChangeKind
  /// The records of a `facts` change, in the order they were written.
  public var records: [FactRecord]

  public init(position: Int64, kind: ChangeKind, records: [FactRecord] = []) {
    self.position = position
    self.kind = kind
    self.records = records
  }
}

/// The change log every write appends to, which instances sharing a store follow.
public protocol ChangeFeed: Sendable {
  /// The position of the last committed change (0 before any).
  func latestChange() async throws -> Int64

  /// Changes after a position, oldest first, at most `limit`. The first is not `position + 1`
  /// when older ones were pruned: the reader must then reload.
  func changes(after position: Int64, limit: Int) async throws -> [StoreChange]

  /// Signals that new changes may have been committed: at once when the database can notify
  /// (PostgreSQL's LISTEN), else on a short poll. Ends when the store closes.
  func changeSignals() -> AsyncStream<Void>
}

extension ChangeFeed {
  /// The log's last position, when nothing committed after `position` changed a fact (new
  /// definitions, reviews and incentive records change none); nil when something did, or when the
  /// log after it has a gap (entries pruned), so what happened is unknown.
  public func lastPositionWithoutFacts(after position: Int64) async throws -> Int64? {
    var p = position
    while true {
      let page = try await changes(after: p, limit: 256)
      if page.isEmpty { return p }
      for c in page {
        guard c.position == p + 1, c.kind != .facts, c.kind != .reload else { return nil }
        p = c.position
      }
    }
  }
}

/// How a write's records are carried in the change log: the records themselves while the batch
/// is small, else only the fact that facts changed in bulk.
struct ChangeRecorder {
  /// Batches up to this size are carried whole; larger ones make readers reload.
  static let maxCarried = 10_000

  private var tables: [ChangePayload.TableRows] = []
  private(set) var count = 0
  private(set) var overflowed = false

  mutating func add(_ r: FactRecord) {
    count += 1
    guard !overflowed else { return }
    if count > Self.maxCarried {
      overflowed = true
      tables = []
      return
    }
    let texts = r.values.map { $0.isAbsent ? nil : $0.description }
    if tables.last?.table == r.table {
      tables[tables.count - 1].rows.append(texts)
    } else {
      tables.append(ChangePayload.TableRows(table: r.table, rows: [texts]))
    }
  }

  /// The kind and payload of the log entry.
  func entry() throws -> (ChangeKind, String) {
    if overflowed { return (.reload, "") }
    return (.facts, ChangePayload(tables: tables).json())
  }
}

/// The JSON payload of a `facts` change: rows as canonical texts, table by table in write order.
struct ChangePayload: Codable {
  struct TableRows: Codable {
    var table: CanonicalTable
    var rows: [[String?]]
  }
  var tables: [TableRows]

  /// A change read back from the log; a payload that no longer decodes makes it a reload.
  static func change(position: Int64, kind: String, payload: String) -> StoreChange {
    guard let k = ChangeKind(rawValue: kind) else { return StoreChange(position: position, kind: .reload) }
    guard k == .facts else { return StoreChange(position: position, kind: k) }
    guard let decoded = try? JSONDecoder().decode(ChangePayload.self, from: Data(payload.utf8)) else {
      return StoreChange(position: position, kind: .reload)
    }
    var records: [FactRecord] = []
    for t in decoded.tables {
      for row in t.rows {
        guard case .success(let r) = RecordValidator.validate(t.table, texts: row) else {
          return StoreChange(position: position, kind: .reload)
        }
        records.append(r)
      }
    }
    return StoreChange(position: position, kind: .facts, records: records)
  }
}

/// How many records a change carries at most (larger writes are logged as bulk changes).
public enum ChangeRecorderSize {
  public static var carried: Int { ChangeRecorder.maxCarried }
}

/// How long the log keeps changes; an instance further behind reloads.
enum ChangeRetention {
  static let seconds: Double = 3_600
}
