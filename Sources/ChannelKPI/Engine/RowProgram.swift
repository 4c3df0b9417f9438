/// The row expressions that a table's measures and sets read, compiled into one flat list of
/// vector operations; each distinct sub-expression is computed once per chunk of rows.
struct RowProgram {
  enum Kind { case int, real, bool }

  /// One vector operation; operands are node numbers.
  enum Op {
    case column(Int)
    case constInt(Int64)
    case constReal(Double)
    case constBool(UInt8)
    case intArith(ArithOp, Int, Int)
    case realArith(ArithOp, Int, Int)
    case toReal(Int, Double)
    case negInt(Int)
    case negReal(Int)
    case compareInt(CompareOp, Int, Int)
    case compareReal(CompareOp, Int, Int)
    case and(Int, Int)
    case or(Int, Int)
    case not(Int)
    case presentInt(Int)
    case presentReal(Int)
    case presentBool(Int)
    case inList(Int, Set<Int64>)
    case inSet(Int, set: Int)
    case utcDay(Int)
    case monthOf(Int)
    case ifInt(Int, Int, Int)
    case ifReal(Int, Int, Int)
    case leastInt([Int]), greatestInt([Int]), coalesceInt([Int])
    case leastReal([Int]), greatestReal([Int]), coalesceReal([Int])
    case absInt(Int)
    case absReal(Int)
  }

  struct Node {
    var op: Op
    var kind: Kind
  }

  private(set) var nodes: [Node] = []
  private var ids: [RowExpr: Int] = [:]

  /// The node computing `expr`, adding it (and its operands) when new.
  /// `code` binds a text literal of a domain to its dictionary code.
  mutating func node(_ expr: RowExpr, code: (String, String) -> Int64) -> Int {
    if let id = ids[expr] { return id }
    func n(_ e: RowExpr) -> Int { node(e, code: code) }
    let made: Node
    switch expr {
    case .column(let c): made = Node(op: .column(c), kind: .int)
    case .int(let v): made = Node(op: .constInt(v), kind: .int)
    case .real(let v): made = Node(op: .constReal(v), kind: .real)
    case .bool(let b): made = Node(op: .constBool(b ? 1 : 0), kind: .bool)
    case .text(let s, let domain): made = Node(op: .constInt(code(s, domain)), kind: .int)
    case .intArith(let op, let a, let b): made = Node(op: .intArith(op, n(a), n(b)), kind: .int)
    case .realArith(let op, let a, let b): made = Node(op: .realArith(op, n(a), n(b)), kind: .real)
    case .toReal(let a, let d): made = Node(op: .toReal(n(a), d), kind: .real)
    case .negate(let a, let integer):
      made = integer ? Node(op: .negInt(n(a)), kind: .int) : Node(op: .negReal(n(a)), kind: .real)
    case .compare(let op, let a, let b, let integer):
      made = Node(op: integer ? .compareInt(op, n(a), n(b)) : .compareReal(op, n(a), n(b)), kind: .bool)
    case .and(let a, let b): made = Node(op: .and(n(a), n(b)), kind: .bool)
    case .or(let a, let b): made = Node(op: .or(n(a), n(b)), kind: .bool)
    case .not(let a): made = Node(op: .not(n(a)), kind: .bool)
    case .present(let a):
      let x = n(a)
      switch nodes[x].kind {
      case .int: made = Node(op: .presentInt(x), kind: .bool)
      case .real: made = Node(op: .presentReal(x), kind: .bool)
      case .bool: made = Node(op: .presentBool(x), kind: .bool)
      }
    case .inList(let a, let items):
      var values: Set<Int64> = []
      for i in items {
        switch i {
        case .int(let v): values.insert(v)
        case .text(let s, let d): values.insert(code(s, d))
        default: break
        }
      }
      made = Node(op: .inList(n(a), values), kind: .bool)
    case .inSet(let a, let set): made = Node(op: .inSet(n(a), set: set), kind: .bool)
    case .utcDay(let a): made = Node(op: .utcDay(n(a)), kind: .int)
    case .monthOf(let a): made = Node(op: .monthOf(n(a)), kind: .int)
    case .ifThen(let c, let a, let b, let integer):
      made = integer ? Node(op: .ifInt(n(c), n(a), n(b)), kind: .int) : Node(op: .ifReal(n(c), n(a), n(b)), kind: .real)
    case .least(let l, let integer):
      made = integer ? Node(op: .leastInt(l.map(n)), kind: .int) : Node(op: .leastReal(l.map(n)), kind: .real)
    case .greatest(let l, let integer):
      made = integer ? Node(op: .greatestInt(l.map(n)), kind: .int) : Node(op: .greatestReal(l.map(n)), kind: .real)
    case .coalesce(let l, let integer):
      made = integer ? Node(op: .coalesceInt(l.map(n)), kind: .int) : Node(op: .coalesceReal(l.map(n)), kind: .real)
    case .abs(let a, let integer):
      made = integer ? Node(op: .absInt(n(a)), kind: .int) : Node(op: .absReal(n(a)), kind: .real)
    case .periodStart, .periodEnd, .inPeriod, .measure:
      preconditionFailure("period-dependent expressions are evaluated per partner, not per fact")
    }
    nodes.append(made)
    ids[expr] = nodes.count - 1
    return nodes.count - 1
  }
}

/// Which rows a chunk covers: a contiguous range, or a list of row numbers.
enum RowSelection {
  case range(Int, Int)
  case rows(ArraySlice<Int32>)

  var count: Int {
    switch self {
    case .range(let a, let b): b - a
    case .rows(let r): r.count
    }
  }

  func row(_ i: Int) -> Int32 {
    switch self {
    case .range(let a, _): Int32(a + i)
    case .rows(let r): r[r.startIndex + i]
    }
  }
}

/// The vectors of one chunk of rows: one per node of a program.
struct ChunkVectors {
  var ints: [[Int64]]
  var reals: [[Double]]
  var bools: [[UInt8]]

  init(nodes: Int, capacity: Int) {
    ints = Array(repeating: [], count: nodes)
    reals = Array(repeating: [], count: nodes)
    bools = Array(repeating: [], count: nodes)
    _ = capacity
  }
}

/// Month index of a day number, by table for the common range.
enum MonthOfDay {
  private static let base = Int32(Day(year: 1900, month: 1, day: 1)!.number)
  private static let table: [Int32] = {
    var t: [Int32] = []
    let end = Day(year: 2200, month: 1, day: 1)!.number
    t.reserveCapacity(Int(end - base))
    var d = base
    while d < end {
      t.append(Day(number: d).month.index)
      d += 1
    }
    return t
  }()

  static func of(_ day: Int64) -> Int64 {
    let i = Int(day) - Int(base)
    if i >= 0 && i < table.count { return Int64(table[i]) }
    return Int64(Day(number: Int32(truncatingIfNeeded: day)).month.index)
  }
}

extension RowProgram {
  static let noInt = Int64.min

  /// Computes every node over the rows of `selection`.
  func run(
    _ selection: RowSelection, columns: FactColumns, sets: [[Int32]], into v: inout ChunkVectors
  ) {
    let n = selection.count
    for (id, node) in nodes.enumerated() {
      switch node.kind {
      case .int:
        var out = [Int64](repeating: 0, count: n)
        runInt(node.op, n, selection, columns, sets, &v, &out)
        v.ints[id] = out
      case .real:
        var out = [Double](repeating: 0, count: n)
        runReal(node.op, n, &v, &out)
        v.reals[id] = out
      case .bool:
        var out = [UInt8](repeating: 0, count: n)
        runBool(node.op, n, sets, &v, &out)
        v.bools[id] = out
      }
    }
  }

  private func runInt(
    _ op: Op, _ n: Int, _ sel: RowSelection, _ cols: FactColumns, _ sets: [[Int32]], _ v: inout ChunkVectors,
    _ out: inout [Int64]
  ) {
    let none = Self.noInt
    switch op {
    case .column(let c):
      // Absent is `Int64.min` in the columns as here.
      switch sel {
      case .range(let a, _): cols.columns[c].forEach(from: a, count: n) { i, x in out[i] = x }
      case .rows(let r): cols.columns[c].gather(r[r.startIndex..<r.startIndex + n], into: &out)
      }
    case .constInt(let c):
      for i in 0..<n { out[i] = c }
    case .intArith(let op, let a, let b):
      let x = v.ints[a]
      let y = v.ints[b]
      for i in 0..<n {
        if x[i] == none || y[i] == none {
          out[i] = none
        } else {
          switch op {
          case .add: out[i] = x[i] &+ y[i]
          case .sub: out[i] = x[i] &- y[i]
          case .mul: out[i] = x[i] &* y[i]
          case .div: out[i] = y[i] == 0 ? none : x[i] / y[i]
          }
        }
      }
    case .negInt(let a):
      let x = v.ints[a]
      for i in 0..<n { out[i] = x[i] == none ? none : -x[i] }
    case .utcDay(let a):
      let x = v.ints[a]
      let d = Timestamp.microsecondsPerDay
      for i in 0..<n {
        let t = x[i]
        out[i] = t == none ? none : (t >= 0 ? t / d : (t - d + 1) / d)
      }
    case .monthOf(let a):
      let x = v.ints[a]
      for i in 0..<n { out[i] = x[i] == none ? none : MonthOfDay.of(x[i]) }
    case .ifInt(let c, let a, let b):
      let cc = v.bools[c]
      let x = v.ints[a]
      let y = v.ints[b]
      for i in 0..<n { out[i] = cc[i] == 1 ? x[i] : (cc[i] == 0 ? y[i] : none) }
    case .leastInt(let l), .greatestInt(let l):
      let least: Bool = if case .leastInt = op { true } else { false }
      for i in 0..<n {
        var r = none
        for k in l {
          let x = v.ints[k][i]
          if x == none { continue }
          if r == none || (least ? x < r : x > r) { r = x }
        }
        out[i] = r
      }
    case .coalesceInt(let l):
      for i in 0..<n {
        var r = none
        for k in l where v.ints[k][i] != none {
          r = v.ints[k][i]
          break
        }
        out[i] = r
      }
    case .absInt(let a):
      let x = v.ints[a]
      for i in 0..<n { out[i] = x[i] == none ? none : Swift.abs(x[i]) }
    default:
      preconditionFailure("not an integer operation")
    }
  }

  private func runReal(_ op: Op, _ n: Int, _ v: inout ChunkVectors, _ out: inout [Double]) {
    switch op {
    case .constReal(let c):
      for i in 0..<n { out[i] = c }
    case .toReal(let a, let d):
      let x = v.ints[a]
      for i in 0..<n { out[i] = x[i] == Self.noInt ? .nan : Double(x[i]) / d }
    case .realArith(let op, let a, let b):
      let x = v.reals[a]
      let y = v.reals[b]
      for i in 0..<n {
        switch op {
        case .add: out[i] = x[i] + y[i]
        case .sub: out[i] = x[i] - y[i]
        case .mul: out[i] = x[i] * y[i]
        case .div: out[i] = y[i] == 0 ? .nan : x[i] / y[i]
        }
      }
    case .negReal(let a):
      let x = v.reals[a]
      for i in 0..<n { out[i] = -x[i] }
    case .ifReal(let c, let a, let b):
      let cc = v.bools[c]
      let x = v.reals[a]
      let y = v.reals[b]
      for i in 0..<n { out[i] = cc[i] == 1 ? x[i] : (cc[i] == 0 ? y[i] : .nan) }
    case .leastReal(let l), .greatestReal(let l):
      let least: Bool = if case .leastReal = op { true } else { false }
      for i in 0..<n {
        var r = Double.nan
        for k in l {
          let x = v.reals[k][i]
          if x.isNaN { continue }
          if r.isNaN || (least ? x < r : x > r) { r = x }
        }
        out[i] = r
      }
    case .coalesceReal(let l):
      for i in 0..<n {
        var r = Double.nan
        for k in l where !v.reals[k][i].isNaN {
          r = v.reals[k][i]
          break
        }
        out[i] = r
      }
    case .absReal(let a):
      let x = v.reals[a]
      for i in 0..<n { out[i] = Swift.abs(x[i]) }
    default:
      preconditionFailure("not a real operation")
    }
  }

  private func runBool(_ op: Op, _ n: Int, _ sets: [[Int32]], _ v: inout ChunkVectors, _ out: inout [UInt8]) {
    let none = Self.noInt
    switch op {
    case .constBool(let b):
      for i in 0..<n { out[i] = b }
    case .compareInt(let op, let a, let b):
      let x = v.ints[a]
      let y = v.ints[b]
      for i in 0..<n {
        if x[i] == none || y[i] == none {
          out[i] = 2
          continue
        }
        out[i] = op.holds(x[i], y[i]) ? 1 : 0
      }
    case .compareReal(let op, let a, let b):
      let x = v.reals[a]
      let y = v.reals[b]
      for i in 0..<n {
        if x[i].isNaN || y[i].isNaN {
          out[i] = 2
          continue
        }
        out[i] = op.holds(x[i], y[i]) ? 1 : 0
      }
    case .and(let a, let b):
      let x = v.bools[a]
      let y = v.bools[b]
      for i in 0..<n { out[i] = (x[i] == 0 || y[i] == 0) ? 0 : ((x[i] == 1 && y[i] == 1) ? 1 : 2) }
    case .or(let a, let b):
      let x = v.bools[a]
      let y = v.bools[b]
      for i in 0..<n { out[i] = (x[i] == 1 || y[i] == 1) ? 1 : ((x[i] == 0 && y[i] == 0) ? 0 : 2) }
    case .not(let a):
      let x = v.bools[a]
      for i in 0..<n { out[i] = x[i] == 2 ? 2 : 1 - x[i] }
    case .presentInt(let a):
      let x = v.ints[a]
      for i in 0..<n { out[i] = x[i] == none ? 0 : 1 }
    case .presentReal(let a):
      let x = v.reals[a]
      for i in 0..<n { out[i] = x[i].isNaN ? 0 : 1 }
    case .presentBool(let a):
      let x = v.bools[a]
      for i in 0..<n { out[i] = x[i] == 2 ? 0 : 1 }
    case .inList(let a, let values):
      let x = v.ints[a]
      for i in 0..<n { out[i] = x[i] == none ? 2 : (values.contains(x[i]) ? 1 : 0) }
    case .inSet(let a, let s):
      let x = v.ints[a]
      let counts = sets[s]
      for i in 0..<n {
        let c = x[i]
        out[i] = c == none ? 2 : ((c < counts.count && counts[Int(c)] > 0) ? 1 : 0)
      }
    default:
      preconditionFailure("not a boolean operation")
    }
  }
}
