import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A program run by the benchmark as a whole process, so that its time and memory are measured
/// the same way as DuckDB's: wall-clock seconds from spawn to exit, and the peak resident memory
/// the kernel recorded for it.
struct ChildProcess {
  let pid: pid_t
  let started: Date

  /// Starts `arguments[0]` (looked up on PATH) with its output and errors written to files.
  static func start(_ arguments: [String], stdout: String, stderr: String) throws -> ChildProcess {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid: pid_t = 0
    let started = Date()
    let rc = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
    guard rc == 0 else { throw CLIError("cannot run \(arguments[0]): \(String(cString: strerror(rc)))") }
    return ChildProcess(pid: pid, started: started)
  }

  /// How a finished process went.
  struct Outcome {
    var status: Int32
    var seconds: Double
    /// Peak resident memory, bytes.
    var peakBytes: Int
  }

  /// Waits for the process to end.
  func wait() -> Outcome {
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let seconds = Date().timeIntervalSince(started)
    // Exited normally: the low 7 bits are 0 and the code is in the next byte; else the signal.
    let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return Outcome(status: code, seconds: seconds, peakBytes: usage.ru_maxrss * 1024)
  }

  /// Runs a program to its end; an error carrying the end of its errors when it fails.
  static func run(_ arguments: [String], stdout: String, stderr: String) throws -> Outcome {
    let outcome = try start(arguments, stdout: stdout, stderr: stderr).wait()
    guard outcome.status == 0 else {
      let tail = (try? String(contentsOfFile: stderr, encoding: .utf8))?.suffix(2000) ?? ""
      throw CLIError("\(arguments.joined(separator: " ")) failed (exit \(outcome.status)):\n\(tail)")
    }
    return outcome
  }

  /// The process's resident memory now, bytes (from /proc).
  func residentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return nil }
    return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
  }

  func terminate() { kill(pid, SIGTERM) }

  /// Whether the process has ended (a zombie not yet waited for counts as ended).
  var hasEnded: Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return true }
    // "PID (name) STATE …": the state follows the name, which may hold spaces and parentheses.
    return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
  }
}

/// A minimal HTTP/1.0 client for localhost, enough to see when a server answers.
enum LocalHTTP {
  /// The status of `GET path` on 127.0.0.1:port; nil when nothing listens there yet.
  static func get(port: Int, path: String, headers: [String: String] = [:]) -> Int? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { return nil }
    // A server that accepts but never answers must not hang the benchmark.
    var timeout = timeval(tv_sec: 60, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var request = "GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    for (k, v) in headers { request += "\(k): \(v)\r\n" }
    request += "\r\n"
    let sent = request.withCString { send(fd, $0, strlen($0), 0) }
    guard sent > 0 else { return nil }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n <= 0 { break }
      response += buffer[0..<n]
    }
    // "HTTP/1.1 200 OK"
    let line = String(decoding: response.prefix(while: { $0 != 13 && $0 != 10 }), as: UTF8.self)
    return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
  }

  /// A port nothing listens on now.
  static func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
        _ = bind(fd, p, length)
        return getsockname(fd, p, &length)
      }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
