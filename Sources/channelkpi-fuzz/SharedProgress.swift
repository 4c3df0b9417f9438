import Foundation

/// Counters a worker process shares with the supervisor through a memory-mapped file: the input
/// being tried (read when the worker dies or stops moving) and the running totals, which outlive
/// any one worker.
final class SharedProgress {
  /// The counters, in the order they sit in the file.
  enum Slot: Int, CaseIterable {
    case current, done, accepted, rejected, unclear
  }
  /// `current` while the worker sets up (before its first input) and after its last.
  static let idle = UInt64.max

  private let words: UnsafeMutablePointer<UInt64>
  private let size = Slot.allCases.count * MemoryLayout<UInt64>.stride

  /// Maps `path`; `reset` zeroes the counters (the supervisor, once per target).
  init?(path: String, reset: Bool) {
    let fd = open(path, O_RDWR | O_CREAT, 0o600)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    guard ftruncate(fd, off_t(size)) == 0 else { return nil }
    guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else { return nil }
    words = p.bindMemory(to: UInt64.self, capacity: Slot.allCases.count)
    if reset {
      for s in Slot.allCases { words[s.rawValue] = 0 }
      words[Slot.current.rawValue] = Self.idle
    }
  }

  deinit { munmap(words, size) }

  subscript(slot: Slot) -> UInt64 {
    get { words[slot.rawValue] }
    set { words[slot.rawValue] = newValue }
  }
}
