/// Parses formulas of the KPI language into syntax trees.
///
/// Precedence, loosest first: `or`, `and`, `not`, comparisons (`=`, `!=`, `<`, `<=`, `>`, `>=`,
/// `in`, `is present`), `+ -`, `* /`, unary `-`.
struct Parser {
  static let aggregateFunctions: Set<String> = ["count", "sum", "mean", "avg", "min", "max", "count_distinct"]

  /// How deep the syntax tree may grow (each parenthesis, call, `not`, unary `-` and operator in
  /// a chain such as `a + b + c` is a level), and how many tokens a formula may have: the parser
  /// and the checker recurse, and a formula past these (no real KPI comes near them) would
  /// overflow the stack instead of getting an error.
  static let maxNesting = 100
  static let maxTokens = 4_000

  private var tokens: [Token]
  private var position = 0
  private var nesting = 0

  init(_ source: String) throws(LanguageError) {
    tokens = try Lexer.tokens(source)
    if tokens.count > Parser.maxTokens {
      throw LanguageError(
        "the formula has more than \(Parser.maxTokens) tokens; split it with 'let:' or into KPIs of its own",
        at: tokens[Parser.maxTokens].range)
    }
  }

  /// Enters one more level of nesting at `token`, refusing to go past `maxNesting`.
  private mutating func nest(_ token: Token) throws(LanguageError) {
    nesting += 1
    if nesting > Parser.maxNesting {
      throw LanguageError(
        "the formula nests more than \(Parser.maxNesting) levels deep (parentheses, calls, 'not', '-' and chains of operators); split it with 'let:'",
        at: token.range)
    }
  }

  static func parse(_ source: String) throws(LanguageError) -> Syntax {
    var p = try Parser(source)
    if case .end = p.peek.kind { throw LanguageError("the formula is empty", at: p.peek.range) }
    let e = try p.expression()
    guard case .end = p.peek.kind else {
      throw LanguageError("unexpected \(p.peek.text) after a complete formula", at: p.peek.range)
    }
    return e
  }

  private var peek: Token { tokens[position] }
  private func peek(_ offset: Int) -> Token { tokens[min(position + offset, tokens.count - 1)] }
  private mutating func advance() -> Token {
    let t = tokens[position]
    if position < tokens.count - 1 { position += 1 }
    return t
  }
  private mutating func expect(_ symbol: String, _ context: String) throws(LanguageError) -> Token {
    guard peek.isSymbol(symbol) else {
      throw LanguageError("expected '\(symbol)' \(context), found \(peek.text)", at: peek.range)
    }
    return advance()
  }

  mutating func expression() throws(LanguageError) -> Syntax {
    try nest(peek)
    defer { nesting -= 1 }
    return try or()
  }

  private mutating func or() throws(LanguageError) -> Syntax {
    var left = try and()
    let outer = nesting
    defer { nesting = outer }
    while peek.isWord("or") {
      try nest(advance())
      let right = try and()
      left = .binary(.or, left, right, left.range.through(right.range))
    }
    return left
  }

  private mutating func and() throws(LanguageError) -> Syntax {
    var left = try not()
    let outer = nesting
    defer { nesting = outer }
    while peek.isWord("and") {
      try nest(advance())
      let right = try not()
      left = .binary(.and, left, right, left.range.through(right.range))
    }
    return left
  }

  private mutating func not() throws(LanguageError) -> Syntax {
    if peek.isWord("not") {
      let t = advance()
      try nest(t)
      defer { nesting -= 1 }
      let e = try not()
      return .not(e, t.range.through(e.range))
    }
    return try comparison()
  }

  private mutating func comparison() throws(LanguageError) -> Syntax {
    let left = try additive()
    if case .symbol(let s) = peek.kind, let op = BinaryOperator(rawValue: s), op.isComparison {
      _ = advance()
      let right = try additive()
      return .binary(op, left, right, left.range.through(right.range))
    }
    if peek.isWord("is") {
      _ = advance()
      var present = true
      if peek.isWord("not") {
        _ = advance()
        present = false
      }
      if peek.isWord("absent") || peek.isWord("null") || peek.isWord("missing") {
        present.toggle()
      } else if !(peek.isWord("present")) {
        throw LanguageError("expected 'present' or 'absent' after 'is', found \(peek.text)", at: peek.range)
      }
      let t = advance()
      return .presence(left, present: present, left.range.through(t.range))
    }
    var negated = false
    if peek.isWord("not") && peek(1).isWord("in") {
      _ = advance()
      negated = true
    }
    if peek.isWord("in") {
      _ = advance()
      if peek.isWord("period") {
        let t = advance()
        if negated { throw LanguageError("'not in period' is not supported; use 'not (… in period)'", at: t.range) }
        return .inPeriod(left, left.range.through(t.range))
      }
      _ = try expect("(", "after 'in' (a list such as ('won', 'lost') or a set such as (leads.deal_id where …))")
      let first = try expression()
      if peek.isWord("where") || peek.isWord("from") || (peek.isSymbol(")") && isMember(first)) {
        let set = try aggregateTail(function: "set", head: first, start: first.range)
        let close = try expect(")", "to close the set")
        return .inSet(left, set, negated: negated, left.range.through(close.range))
      }
      var items = [first]
      while peek.isSymbol(",") {
        _ = advance()
        items.append(try expression())
      }
      let close = try expect(")", "to close the list")
      return .inList(left, items, negated: negated, left.range.through(close.range))
    }
    if negated { throw LanguageError("expected 'in' after 'not'", at: peek.range) }
    return left
  }

  private func isMember(_ s: Syntax) -> Bool {
    if case .member = s { return true }
    return false
  }

  private mutating func additive() throws(LanguageError) -> Syntax {
    var left = try multiplicative()
    let outer = nesting
    defer { nesting = outer }
    while peek.isSymbol("+") || peek.isSymbol("-") {
      let t = advance()
      try nest(t)
      let op: BinaryOperator = t.isSymbol("+") ? .add : .subtract
      let right = try multiplicative()
      left = .binary(op, left, right, left.range.through(right.range))
    }
    return left
  }

  private mutating func multiplicative() throws(LanguageError) -> Syntax {
    var left = try unary()
    let outer = nesting
    defer { nesting = outer }
    while peek.isSymbol("*") || peek.isSymbol("/") {
      let t = advance()
      try nest(t)
      let op: BinaryOperator = t.isSymbol("*") ? .multiply : .divide
      let right = try unary()
      left = .binary(op, left, right, left.range.through(right.range))
    }
    return left
  }

  private mutating func unary() throws(LanguageError) -> Syntax {
    if peek.isSymbol("-") {
      let t = advance()
      try nest(t)
      defer { nesting -= 1 }
      let e = try unary()
      return .negate(e, t.range.through(e.range))
    }
    return try primary()
  }

  private mutating func primary() throws(LanguageError) -> Syntax {
    let t = advance()
    switch t.kind {
    case .number(let text):
      guard let v = Double(text) else { throw LanguageError("'\(text)' is not a number", at: t.range) }
      return .number(v, t.range)
    case .string(let s):
      return .text(s, t.range)
    case .symbol("("):
      let e = try expression()
      _ = try expect(")", "to close the parenthesis")
      return e
    case .identifier(let name):
      if peek.isSymbol("(") {
        _ = advance()
        let lower = name.lowercased()
        if Parser.aggregateFunctions.contains(lower) {
          let head = try expression()
          let agg = try aggregateTail(function: lower == "avg" ? "mean" : lower, head: head, start: t.range)
          let close = try expect(")", "to close \(name)(…)")
          var a = agg
          a.range = t.range.through(close.range)
          return .aggregate(a)
        }
        var args: [Syntax] = []
        if !peek.isSymbol(")") {
          args.append(try expression())
          while peek.isSymbol(",") {
            _ = advance()
            args.append(try expression())
          }
        }
        let close = try expect(")", "to close \(name)(…)")
        return .call(lower, args, t.range.through(close.range))
      }
      if peek.isSymbol(".") {
        _ = advance()
        let f = advance()
        guard case .identifier(let field) = f.kind else {
          throw LanguageError("expected a field name after '\(name).'", at: f.range)
        }
        return .member(name, field, t.range.through(f.range))
      }
      return .name(name, t.range)
    case .end:
      throw LanguageError("the formula ends too early: a value is missing", at: t.range)
    default:
      throw LanguageError("expected a value, found \(t.text)", at: t.range)
    }
  }

  /// Parses `[from table] [where condition]` after the head of an aggregate or a set.
  private mutating func aggregateTail(function: String, head: Syntax, start: SourceRange) throws(LanguageError)
    -> AggregateSyntax
  {
    var from: (String, SourceRange)?
    if peek.isWord("from") {
      _ = advance()
      let t = advance()
      guard case .identifier(let table) = t.kind else {
        throw LanguageError("expected a table name after 'from', found \(t.text)", at: t.range)
      }
      from = (table, t.range)
    }
    var condition: Syntax?
    if peek.isWord("where") {
      _ = advance()
      condition = try expression()
    }
    if peek.isSymbol(",") {
      throw LanguageError(
        function == "min" || function == "max"
          ? "\(function)(…) is an aggregate over a table, e.g. \(function)(deals.closed_on where …); for the \(function == "min" ? "smaller" : "larger") of several values use \(function == "min" ? "least" : "greatest")(a, b)"
          : "an aggregate takes one table (and an optional 'where'), not a list", at: peek.range)
    }
    return AggregateSyntax(function: function, head: head, from: from, condition: condition, range: start)
  }
}
