public import ChannelKPI

/// A stored version of a program's definitions files.
public struct StoredProgramVersion: Sendable, Hashable {
  public var number: Int
  public var effective: Day
  public var appliedAt: String
  public var note: String
  /// The YAML files as applied, by name.
  public var files: [String: String]

  public init(number: Int, effective: Day, appliedAt: String, note: String, files: [String: String]) {
    self.number = number
    self.effective = effective
    self.appliedAt = appliedAt
    self.note = note
    self.files = files
  }
}

/// Everything a program holds besides its facts: definitions versions, reviews and the import
/// log, as moved whole from one store to another.
public struct ProgramArchive: Sendable, Hashable {
  public var versions: [StoredProgramVersion]
  public var reviews: [Review]
  public var imports: [ImportRecord]
  public var approvals: [StatementApproval]
  public var tierBaseline: [String: String?]
  public var tierApplications: [TierApplication]
  public var tierOverrides: [TierOverride]
  /// Partners' replies to the reviews shared with them.
  public var reviewReplies: [ReviewReply]

  public init(
    versions: [StoredProgramVersion] = [], reviews: [Review] = [], imports: [ImportRecord] = [],
    approvals: [StatementApproval] = [], tierBaseline: [String: String?] = [:],
    tierApplications: [TierApplication] = [],
    tierOverrides: [TierOverride] = [], reviewReplies: [ReviewReply] = []
  ) {
    self.tierOverrides = tierOverrides
    self.reviewReplies = reviewReplies
    self.versions = versions
    self.reviews = reviews
    self.imports = imports
    self.approvals = approvals
    self.tierBaseline = tierBaseline
    self.tierApplications = tierApplications
  }

  public var isEmpty: Bool {
    versions.isEmpty && reviews.isEmpty && imports.isEmpty && approvals.isEmpty && tierBaseline.isEmpty
      && tierApplications.isEmpty && tierOverrides.isEmpty && reviewReplies.isEmpty
  }

  /// The tables an archive is stored in, which `restore` requires empty.
  static let tables = [
    "program_versions", "reviews", "imports", "statement_approvals", "tier_baseline", "tier_applications",
    "tier_overrides", "review_replies",
  ]
}

/// Persistence of program definition versions and reviews.
public protocol ProgramStore: Sendable {
  /// Stores definitions files as the next version and logs the change; returns its number.
  func addProgramVersion(files: [String: String], effective: Day, appliedAt: String, note: String) async throws -> Int
  /// Every stored version, oldest first.
  func programVersions() async throws -> [StoredProgramVersion]
  /// Records a review and logs the change; returns its id.
  func addReview(_ review: Review) async throws -> Int64
  /// Every review, oldest first.
  func reviews() async throws -> [Review]
  /// Writes versions, reviews and imports with their numbers and ids, in one transaction, into
  /// a store that holds none yet (for moving a program between stores).
  func restore(_ archive: ProgramArchive) async throws
}

extension ProgramStore where Self: FactStore & IncentiveStore & AccessStore {
  /// The versions, reviews and replies, whole import log, approvals and tier records (never users,
  /// keys, sessions or the audit log: an archive holds no credential).
  public func archive() async throws -> ProgramArchive {
    ProgramArchive(
      versions: try await programVersions(), reviews: try await reviews(), imports: try await imports(limit: Int.max),
      approvals: try await statementApprovals(), tierBaseline: try await tierBaseline(),
      tierApplications: try await tierApplications(), tierOverrides: try await tierOverrides(),
      reviewReplies: try await reviewReplies())
  }
}

/// Turns stored versions into a program history and one engine catalog that holds every version's KPIs.
public enum ProgramLoader {
  /// The history, the compiled catalog (variant 0: the latest version's KPIs, or the built-in
  /// catalog without versions; one variant per distinct version catalog) and each version's variant.
  public static func load(_ stored: [StoredProgramVersion], extra: Catalog = Catalog()) throws -> (
    ProgramHistory, CompiledCatalog, [Int: Int]
  ) {
    var versions: [ProgramVersion] = []
    for s in stored {
      let defs: ProgramDefinitions
      do {
        defs = try ProgramFiles.parse(s.files, base: Catalog.builtin.merging(extra), directory: "v\(s.number)")
      } catch {
        throw DefinitionFileErrors(errors: error.errors)
      }
      versions.append(
        ProgramVersion(
          number: s.number, effective: s.effective, appliedAt: s.appliedAt, note: s.note, definitions: defs))
    }
    let history = ProgramHistory(versions: versions)
    let base = Catalog.builtin.merging(extra)
    var catalogs: [Catalog] = [history.latest.map { base.merging($0.definitions.catalog) } ?? base]
    var variantOf: [Int: Int] = [:]
    for v in versions {
      let c = base.merging(v.definitions.catalog)
      if let i = catalogs.firstIndex(of: c) {
        variantOf[v.number] = i
      } else {
        catalogs.append(c)
        variantOf[v.number] = catalogs.count - 1
      }
    }
    return (history, try CatalogCompiler.compile(variants: catalogs), variantOf)
  }
}
