import Lexer

/// Which `{` lacks its `}`, judged by indentation as a reader would, for a file that ends
/// with a block still open.
///
/// The parser matches braces by count, so a `}` missing inside a step is found only at the end
/// of the file, and the block it names is the outermost one, which took every later `}` and
/// step. A reader goes by indentation: a `}` first on its line closes the block opened on the
/// line indented like it. The first `}` that is indented less than the block it closes by
/// count shows where a `}` is missing: in the blocks between.
struct BraceAudit {
  /// A block whose `}` is missing, and what that did to the rest of the file.
  struct Finding {
    /// The `{` that is never closed.
    var opener: Span
    /// What the block belongs to: `'if'`, `step "join"`.
    var owner: String
    /// The 1-based line of `opener`.
    var line: Int
    /// The last line of its body by indentation: where its `}` goes.
    var bodyEnd: Int
    /// The `}` that closed it by count, though indented like an outer block; with that block.
    var misplaced: (span: Span, outer: String, outerLine: Int)
    /// The first statement written after the outer block but read inside it.
    var swallowed: (span: Span, what: String)?
  }

  private struct Open {
    var span: Span
    var indent: Int
    var line: Int
    var owner: String
  }

  let tokens: [Token]
  let source: SourceFile

  /// The first block closed by count by a `}` indented like an enclosing block; nil when the
  /// indentation agrees with the braces (the last block of the file lacks its `}`), or when
  /// matching by indentation does not account for every `{` either.
  func finding() -> Finding? {
    var found: Finding?
    var stack: [Open] = []
    var lastLine = 0
    var indent = 0
    var lineStart = 0
    for (index, token) in tokens.enumerated() {
      if case .newline = token.kind { continue }
      if case .eof = token.kind { break }
      let line = line(of: token.span.start)
      let first = line != lastLine
      if first {
        lastLine = line
        indent = indentation(of: line)
        lineStart = index
      }
      let column = indent
      switch token.kind {
      case .punct(.lbrace):
        stack.append(
          Open(
            span: token.span, indent: indent, line: line,
            owner: owner(tokens[lineStart..<index])))
      case .punct(.rbrace):
        guard let top = stack.last else { continue }
        guard first, column < top.indent,
          let outer = stack.lastIndex(where: { $0.indent <= column })
        else {
          stack.removeLast()
          continue
        }
        if found == nil {
          let unclosed = stack[outer + 1]
          found = Finding(
            opener: unclosed.span, owner: unclosed.owner, line: unclosed.line,
            bodyEnd: bodyEnd(after: unclosed),
            misplaced: (token.span, stack[outer].owner, stack[outer].line),
            swallowed: swallowed(after: index, indent: stack[outer].indent))
        }
        // Read on as the indentation says: this `}` closes the outer block.
        stack.removeSubrange(outer...)
      default:
        break
      }
    }
    return stack.isEmpty ? found : nil
  }

  /// What a block opened on a line belongs to: the statement keyword before its `{` (a step
  /// with its name).
  private func owner(_ line: ArraySlice<Token>) -> String {
    var found: String?
    for (offset, token) in zip(line.indices, line) {
      guard case .keyword(let keyword) = token.kind else { continue }
      switch keyword {
      case .step:
        if offset + 1 < tokens.count, case .string(let parts) = tokens[offset + 1].kind,
          parts.count == 1, case .text(let name) = parts[0]
        {
          return "step \"\(name)\""
        }
        return "'step'"
      case .if, .else, .for, .while, .fn, .on, .try, .catch:
        found = "'\(keyword.rawValue)'"
      default:
        break
      }
    }
    return found ?? "block"
  }

  /// The 1-based line of a UTF-8 offset.
  private func line(of offset: Int) -> Int {
    let starts = source.lineStarts
    var low = 0
    var high = starts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if starts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low + 1
  }

  /// The column of the first character of a 1-based line that is not a space or a tab.
  private func indentation(of line: Int) -> Int {
    var offset = source.lineStarts[line - 1]
    let bytes = source.bytes
    while offset < bytes.count, bytes[offset] == 0x20 || bytes[offset] == 0x09 { offset += 1 }
    return offset - source.lineStarts[line - 1] + 1
  }

  /// The last non-blank line after the block's first that is indented deeper than it.
  private func bodyEnd(after open: Open) -> Int {
    var end = open.line
    var line = open.line + 1
    let bytes = source.bytes
    while line <= source.lineStarts.count {
      let indent = indentation(of: line)
      let first = source.lineStarts[line - 1] + indent - 1
      let blank = first >= bytes.count || bytes[first] == 0x0A || bytes[first] == 0x0D
      if !blank && bytes[first] != UInt8(ascii: "#") {
        guard indent > open.indent else { break }
        end = line
      }
      line += 1
    }
    return end
  }

  /// The first statement after token `index` that starts a line indented no deeper than the
  /// outer block's line: written after that block, read inside it.
  private func swallowed(after index: Int, indent outer: Int) -> (Span, String)? {
    var lastLine = line(of: tokens[index].span.start)
    for position in (index + 1)..<tokens.count {
      let token = tokens[position]
      if case .newline = token.kind { continue }
      if case .eof = token.kind { return nil }
      let line = line(of: token.span.start)
      guard line != lastLine else { continue }
      lastLine = line
      guard indentation(of: line) <= outer else { continue }
      if case .punct(.rbrace) = token.kind { continue }
      let what = owner(tokens[position..<min(tokens.count, position + 2)])
      return (token.span, what == "block" ? "line \(line)" : what)
    }
    return nil
  }
}

/// The error for a `}` missing where the indentation says.
struct MissingBrace {
  var message: String
  var span: Span
  var notes: [Diagnostic.Note]
  var hint: String
}

extension Parser {
  /// The error for a file that ends inside a block whose `}` the indentation says is missing
  /// elsewhere; nil when it agrees that the innermost open block is the one. Worked out once
  /// per file (every block still open at the end asks).
  mutating func missingBraceByIndentation() -> MissingBrace? {
    if let audited = auditedBrace { return audited.first }
    guard let source, !inInterpolation else { return nil }
    let found = BraceAudit(tokens: tokens, source: source).finding().map(Self.missingBrace)
    auditedBrace = found.map { [$0] } ?? []
    return found
  }

  private static func missingBrace(_ found: BraceAudit.Finding) -> MissingBrace {
    var notes = [
      Diagnostic.Note(
        "this '}' is indented like \(found.misplaced.outer) (line \(found.misplaced.outerLine)) "
          + "but closes \(found.owner)", at: found.misplaced.span)
    ]
    if let swallowed = found.swallowed {
      notes.append(
        .init(
          "\(swallowed.what) was swallowed: read as part of \(found.misplaced.outer)",
          at: swallowed.span))
    }
    return MissingBrace(
      message: "expected '}' to close the \(found.owner) block opened at line \(found.line)",
      span: found.opener, notes: notes,
      hint: "add '}' after line \(found.bodyEnd) to close \(found.owner)")
  }
}
