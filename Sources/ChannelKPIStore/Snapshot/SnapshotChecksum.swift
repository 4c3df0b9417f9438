/// A 64-bit checksum of a snapshot's bytes, in the manner of xxHash64 (four lanes of 8-byte words,
/// multiply and rotate), fed in pieces of any size: the same bytes give the same sum however they
/// are cut. It finds a flipped bit or a torn block, not tampering (the snapshot is as private as
/// the database it copies).
struct SnapshotChecksum {
  private static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
  private static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
  private static let p3: UInt64 = 0x1656_67B1_9E37_79F9
  private var lanes: (UInt64, UInt64, UInt64, UInt64) = (p1 &+ p2, p2, 0, 0 &- p1)
  /// Bytes short of a whole 32-byte stripe, kept for the next piece.
  private var pending: [UInt8] = []
  private var length: UInt64 = 0

  private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
    let a = acc &+ input &* p2
    return ((a << 31) | (a >> 33)) &* p1
  }

  private mutating func stripe(_ b: UnsafeRawBufferPointer, at o: Int) {
    lanes.0 = Self.round(lanes.0, b.loadUnaligned(fromByteOffset: o, as: UInt64.self))
    lanes.1 = Self.round(lanes.1, b.loadUnaligned(fromByteOffset: o + 8, as: UInt64.self))
    lanes.2 = Self.round(lanes.2, b.loadUnaligned(fromByteOffset: o + 16, as: UInt64.self))
    lanes.3 = Self.round(lanes.3, b.loadUnaligned(fromByteOffset: o + 24, as: UInt64.self))
  }

  mutating func add(_ bytes: UnsafeRawBufferPointer) {
    length &+= UInt64(bytes.count)
    var o = 0
    if !pending.isEmpty {
      let take = Swift.min(32 - pending.count, bytes.count)
      pending += bytes[0..<take]
      o = take
      guard pending.count == 32 else { return }
      pending.withUnsafeBytes { stripe($0, at: 0) }
      pending.removeAll(keepingCapacity: true)
    }
    while o + 32 <= bytes.count {
      stripe(bytes, at: o)
      o += 32
    }
    pending += bytes[o...]
  }

  /// The sum of everything added.
  var value: UInt64 {
    var h = lanes.0 ^ (lanes.1 &* Self.p3) ^ ((lanes.2 << 17) | (lanes.2 >> 47)) ^ (lanes.3 &* Self.p1) ^ length
    for b in pending { h = (h ^ UInt64(b)) &* Self.p1 }
    h ^= h >> 33
    h &*= Self.p2
    h ^= h >> 29
    h &*= Self.p3
    h ^= h >> 32
    return h
  }
}
