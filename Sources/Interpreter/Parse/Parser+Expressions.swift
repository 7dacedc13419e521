import Lexer

/// How tightly an infix or prefix operator binds, loosest first.
enum Precedence: Int, Comparable {
  case ternary = 1
  case coalesce, or, and, not, comparison, range, additive, multiplicative, prefix

  static func < (lhs: Precedence, rhs: Precedence) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The next tighter level, for the right operand of a left-associative operator.
  var tighter: Precedence { Precedence(rawValue: rawValue + 1) ?? .prefix }
}

/// An infix operator found at the current token.
struct InfixOperator {
  /// A binary operator, or nil for a range (`...`, `..<`).
  var binary: BinaryOp?
  /// For ranges: whether it is `...`.
  var closed = false
  /// How tightly it binds.
  var precedence: Precedence
  /// How many tokens it spans: 2 for `not in`.
  var width = 1

  static func binary(_ op: BinaryOp, _ precedence: Precedence, width: Int = 1) -> InfixOperator {
    InfixOperator(binary: op, precedence: precedence, width: width)
  }

  static func range(closed: Bool) -> InfixOperator {
    InfixOperator(binary: nil, closed: closed, precedence: .range)
  }
}

// MARK: - Operators

extension Parser {
  /// Parses a full expression, including `?:`.
  mutating func parseExpression() throws(ParseError) -> Expr {
    try enter()
    defer { leave() }
    let condition = try parseBinary(.coalesce)
    return try parseConditional(after: condition)
  }

  /// An expression in an `if`/`while`/`for` header, an `on` clause or a step name, where a `{`
  /// after a call opens the body rather than a trailing closure.
  mutating func parseHeaderExpression() throws(ParseError) -> Expr {
    let trailing = allowsTrailingClosure
    allowsTrailingClosure = false
    defer { allowsTrailingClosure = trailing }
    return try parseExpression()
  }

  /// `condition ? a : b` once `condition` has been parsed (right-associative).
  mutating func parseConditional(after condition: Expr) throws(ParseError) -> Expr {
    guard at(.question) else { return condition }
    advance()
    skipNewlinesBeforeOperand()
    let then = try parseExpression()
    guard match(.colon) else { throw fail(expected("':' in conditional expression")) }
    skipNewlinesBeforeOperand()
    let otherwise = try parseExpression()
    return Expr(.conditional(condition, then, otherwise), condition.span.to(otherwise.span))
  }

  /// Parses operators binding at least as tightly as `minimum` (precedence climbing), with
  /// prefix `not` at its own level.
  mutating func parseBinary(_ minimum: Precedence) throws(ParseError) -> Expr {
    guard minimum <= .not, at(.not) else {
      return try parseInfix(after: try parseUnary(), minimum)
    }
    let op = advance()
    try enter()
    defer { leave() }
    let operand = try parseBinary(.not)
    let negation = Expr(.unary(.not, operand, opSpan: op.span), op.span.to(operand.span))
    return try parseInfix(after: negation, minimum)
  }

  /// Continues a binary expression whose left operand is parsed, taking operators that bind at
  /// least as tightly as `minimum`. Comparisons and ranges do not chain.
  mutating func parseInfix(after left: Expr, _ minimum: Precedence) throws(ParseError) -> Expr {
    var left = left
    var levels = 0
    defer { depth -= levels }
    while let op = infixOperator, op.precedence >= minimum {
      let opStart = advance().span
      if op.width == 2 { advance() }
      let opSpan = opStart.to(previousSpan)
      skipNewlinesBeforeOperand()
      let right = try parseBinary(op.precedence.tighter)
      // A left-leaning chain `a + b + c + …` nests as deeply as it is long.
      try enter()
      levels += 1
      let span = left.span.to(right.span)
      if let binary = op.binary {
        left = Expr(.binary(binary, left, right, opSpan: opSpan), span)
      } else {
        left = Expr(.range(left, right, closed: op.closed), span)
      }
      if op.precedence == .comparison || op.precedence == .range,
        let next = infixOperator, next.precedence == op.precedence
      {
        let what = op.precedence == .comparison ? "comparison" : "range"
        throw fail("\(what) operators cannot be chained")
      }
    }
    return left
  }

  /// The infix operator at the current token, if any.
  var infixOperator: InfixOperator? {
    switch kind {
    case .punct(let punct):
      switch punct {
      case .plus: return .binary(.add, .additive)
      case .minus: return .binary(.subtract, .additive)
      case .star: return .binary(.multiply, .multiplicative)
      case .slash: return .binary(.divide, .multiplicative)
      case .percent: return .binary(.remainder, .multiplicative)
      case .equal: return .binary(.equal, .comparison)
      case .notEqual: return .binary(.notEqual, .comparison)
      case .less: return .binary(.less, .comparison)
      case .lessEqual: return .binary(.lessEqual, .comparison)
      case .greater: return .binary(.greater, .comparison)
      case .greaterEqual: return .binary(.greaterEqual, .comparison)
      case .closedRange: return .range(closed: true)
      case .halfOpenRange: return .range(closed: false)
      case .coalesce: return .binary(.coalesce, .coalesce)
      default: return nil
      }
    case .keyword(.and): return .binary(.and, .and)
    case .keyword(.or): return .binary(.or, .or)
    case .keyword(.in): return .binary(.in, .comparison)
    case .keyword(.not):
      guard case .keyword(.in) = nextKind else { return nil }
      return .binary(.notIn, .comparison, width: 2)
    default: return nil
    }
  }

  /// `-x`, `sudo x`, `local x`, or a postfix expression.
  mutating func parseUnary() throws(ParseError) -> Expr {
    switch kind {
    case .punct(.minus):
      let op = advance()
      try enter()
      defer { leave() }
      let operand = try parseUnary()
      return Expr(.unary(.negate, operand, opSpan: op.span), op.span.to(operand.span))
    case .keyword(.sudo), .keyword(.local):
      return try parseCommandModifiers()
    default:
      return try parsePostfix()
    }
  }

  /// `sudo`/`local` (in any number and order) and their operand. Right before a command
  /// literal they are part of it, so postfix operators apply to what it returns:
  /// `` local `ls`.stdout `` is `` (local `ls`).stdout ``. Before anything else they run the
  /// command value the operand evaluates to: `sudo join.worker` is `sudo (join.worker)`.
  mutating func parseCommandModifiers() throws(ParseError) -> Expr {
    let start = current.span
    var modifiers = CommandModifiers()
    var levels = 0
    defer { depth -= levels }
    while true {
      if at(.sudo) {
        modifiers.sudo = true
      } else if at(.local) {
        modifiers.local = true
      } else {
        break
      }
      advance()
      try enter()
      levels += 1
    }
    if case .command(let parts) = kind {
      let end = advance().span
      let literal = CommandLiteral(parts: try interpolate(parts), modifiers: modifiers)
      return try parsePostfix(after: Expr(.command(literal), start.to(end)))
    }
    let operand = try parseUnary()
    let span = start.to(operand.span)
    switch operand.kind {
    case .command(var literal):
      // `sudo (`x`)`: a parenthesized literal.
      literal.modifiers.sudo = literal.modifiers.sudo || modifiers.sudo
      literal.modifiers.local = literal.modifiers.local || modifiers.local
      return Expr(.command(literal), span)
    case .runCommand(var inner, let target):
      inner.sudo = inner.sudo || modifiers.sudo
      inner.local = inner.local || modifiers.local
      return Expr(.runCommand(modifiers: inner, operand: target), span)
    default:
      return Expr(.runCommand(modifiers: modifiers, operand: operand), span)
    }
  }
}

// MARK: - Postfix

extension Parser {
  /// A primary (parsed here unless given) followed by calls, subscripts and member accesses. A
  /// line starting with `.` continues the chain.
  mutating func parsePostfix(after primary: Expr? = nil) throws(ParseError) -> Expr {
    var expr: Expr
    if let primary { expr = primary } else { expr = try parsePrimary() }
    var levels = 0
    defer { depth -= levels }
    while true {
      switch kind {
      case .punct(.lparen):
        try enter()
        levels += 1
        expr = try parseCall(of: expr)
      case .punct(.lbracket):
        try enter()
        levels += 1
        expr = try parseSubscript(of: expr)
      case .punct(.dot):
        try enter()
        levels += 1
        advance()
        let name: Name
        switch kind {
        case .identifier(let text): name = Name(text, current.span)
        case .keyword(let keyword): name = Name(keyword.rawValue, current.span)
        default: throw fail(expected("member name after '.'"))
        }
        advance()
        expr = Expr(.member(expr, name), expr.span.to(name.span))
      case .newline:
        guard nextLineStartsWithDot() else { return expr }
        skipNewlines()
      default:
        return expr
      }
    }
  }

  /// Whether the line breaks at the current token are followed by a `.`.
  private func nextLineStartsWithDot() -> Bool {
    var ahead = index
    while ahead < tokens.count - 1, case .newline = tokens[ahead].kind { ahead += 1 }
    if case .punct(.dot) = tokens[ahead].kind { return true }
    return false
  }

  /// `callee(arguments)` with an optional trailing closure `{ … }`.
  mutating func parseCall(of callee: Expr) throws(ParseError) -> Expr {
    var (arguments, end) = try parseArguments()
    if allowsTrailingClosure, at(.lbrace) {
      let body = try parseBlock(for: "closure")
      let closure = FunctionDecl(name: nil, parameters: [], body: body, span: body.span)
      arguments.append(Argument(value: Expr(.function(closure), body.span)))
      end = body.span
    }
    return Expr(.call(callee: callee, arguments: arguments), callee.span.to(end))
  }

  /// `(a, name: b)`, the current token being the `(`; returns the arguments and the `)` span.
  mutating func parseArguments() throws(ParseError) -> ([Argument], Span) {
    let opener = open()
    let trailing = allowsTrailingClosure
    allowsTrailingClosure = true
    defer { allowsTrailingClosure = trailing }
    var arguments: [Argument] = []
    skipNewlines()
    while !at(.rparen) && !atEnd {
      var label: Name?
      if case .punct(.colon) = nextKind {
        switch kind {
        case .identifier(let text): label = Name(text, current.span)
        case .keyword(let keyword): label = Name(keyword.rawValue, current.span)
        default: break
        }
        if label != nil {
          advance()
          advance()
          skipNewlinesBeforeOperand()
        }
      }
      let value = try parseExpression()
      arguments.append(Argument(label: label, value: value))
      skipNewlines()
      if !match(.comma) { break }
      skipNewlines()
    }
    let end = try close(opener, expecting: "',' or ')' after argument", noun: "'('")
    return (arguments, end)
  }

  /// `base[i]` or a slice `base[lo...hi]`, `base[lo..<hi]`, `base[lo...]`, `base[..<hi]`.
  mutating func parseSubscript(of base: Expr) throws(ParseError) -> Expr {
    let opener = open()
    let trailing = allowsTrailingClosure
    allowsTrailingClosure = true
    defer { allowsTrailingClosure = trailing }
    let node: Expr.Kind
    if let closed = rangeOperator {
      advance()
      node = .slice(base, lower: nil, upper: try parseSliceBound(), closed: closed)
    } else if at(.not) {
      node = .index(base, try parseExpression())
    } else {
      try enter()
      defer { leave() }
      let lower = try parseBinary(.additive)
      if let closed = rangeOperator {
        advance()
        node = .slice(base, lower: lower, upper: try parseSliceBound(), closed: closed)
      } else {
        let index = try parseConditional(after: try parseInfix(after: lower, .coalesce))
        node = .index(base, index)
      }
    }
    let end = try close(opener, expecting: "']' after subscript", noun: "'['")
    return Expr(node, base.span.to(end))
  }

  /// The upper bound of a slice, absent when `]` follows the range operator.
  private mutating func parseSliceBound() throws(ParseError) -> Expr? {
    if at(.rbracket) { return nil }
    return try parseBinary(.additive)
  }

  /// Whether the current token is `...` (true) or `..<` (false); nil for anything else.
  private var rangeOperator: Bool? {
    switch kind {
    case .punct(.closedRange): return true
    case .punct(.halfOpenRange): return false
    default: return nil
    }
  }
}
