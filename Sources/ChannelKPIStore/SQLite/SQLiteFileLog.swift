import GRDB
public import Logging

/// Passes what SQLite itself reports about its files to a log.
///
/// A failed read or write reaches the caller as one result code ("disk I/O error"). SQLite's own
/// error log says more: which system call failed, on which file, with which `errno`. Only those
/// troubles are passed on: an I/O error or a damaged file as errors, a log recovered after a
/// crash as a notice (which the commands' log, of warnings and errors, leaves out). The rest of
/// that log (a file that cannot be opened, a full disk, a constraint broken, a statement prepared
/// again) is told to the caller in full already, or is noise.
public enum SQLiteFileLog {
  private static let installed = Locked(false)

  /// Sends SQLite's reports about its files to `logger`, for the rest of the process. Only the
  /// first call does anything: SQLite takes its log before its first connection opens, and
  /// GRDB's hook is one global that connections may be reading.
  public static func install(_ logger: Logger) {
    let first = installed.withLock { done in
      defer { done = true }
      return !done
    }
    guard first else { return }
    Database.logError = { code, message in
      switch code.primaryResultCode {
      case .SQLITE_IOERR, .SQLITE_CORRUPT:
        logger.error("SQLite reports: \(message) (result code \(code.rawValue))")
      case .SQLITE_NOTICE:
        logger.notice("SQLite reports: \(message) (result code \(code.rawValue))")
      default:
        break
      }
    }
  }
}
