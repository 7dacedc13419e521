import Foundation
import Lexer

/// Building and running commands from interpolated values.
enum Commands {
  /// The pieces a value contributes to a command: one quoted word per scalar, or, inside the
  /// author's double quotes, the text escaped for them (a list's items joined by spaces).
  static func pieces(for value: Value, span: Span, place: ShellPlace = .bare) throws
    -> [CommandPiece]
  {
    if place == .doubleQuoted { return try quotedPieces(for: value, span: span) }
    do {
      return try CommandValue.words(for: value)
    } catch {
      throw RuntimeError(error.message, at: span)
    }
  }

  /// The pieces of a value interpolated inside double quotes.
  private static func quotedPieces(for value: Value, span: Span) throws -> [CommandPiece] {
    switch value {
    case .string(let s): return [.inDoubleQuotes(s)]
    case .int, .float, .bool, .duration: return [.inDoubleQuotes(value.display)]
    case .secret(let s): return [.secretInDoubleQuotes(s)]
    case .host(let h): return [.inDoubleQuotes(h.address)]
    case .result(let r):
      return [.inDoubleQuotes(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))]
    case .list(let items):
      var out: [CommandPiece] = []
      for (index, item) in items.enumerated() {
        if index > 0 { out.append(.raw(" ")) }
        out += try quotedPieces(for: item, span: span)
      }
      return out
    case .command:
      throw RuntimeError(
        "cannot put a command inside double quotes", at: span,
        hint: "interpolate it outside the quotes, where its words are spliced in")
    case .nil, .map, .function, .module:
      throw RuntimeError("cannot put a value of type \(value.typeName) into a command", at: span)
    }
  }

  static func run(_ command: CommandValue, modifiers: CommandModifiers, frame: Frame, span: Span)
    throws -> Value
  {
    let host = modifiers.local ? nil : frame.state.host
    if host == nil && !modifiers.local {
      throw RuntimeError(
        "command has no host to run on: \(command.displayText)", at: span,
        hint: "call it inside 'on HOSTS { … }', or write 'local `…`' to run it here")
    }
    let request = CommandRequest(command: command, host: host, sudo: modifiers.sudo)
    do {
      return .result(try CommandExecution.run(request, in: frame.state.run, check: true))
    } catch var error as RuntimeError {
      if error.span == .unknown { error.span = span }
      if error.host == nil { error.host = host?.name }
      throw error
    }
  }
}

extension CommandValue {
  /// The pieces `value` contributes to a command as words: one shell-quoted word per scalar
  /// (a host gives its address, a result its trimmed stdout), a secret a redacted word, a
  /// list one word per item, a command its own pieces (spliced). Command literals and
  /// `command(…)` share this.
  public static func words(for value: Value) throws(CommandWordError) -> [CommandPiece] {
    switch value {
    case .string(let s): return [.word(s)]
    case .int, .float, .bool, .duration: return [.word(value.display)]
    case .secret(let s): return [.secretWord(s)]
    case .command(let c): return c.pieces
    case .host(let h): return [.word(h.address)]
    case .result(let r):
      return [.word(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))]
    case .list(let items):
      var out: [CommandPiece] = []
      for item in items {
        let more = try words(for: item)
        if more.isEmpty { continue }
        if !out.isEmpty { out.append(.raw(" ")) }
        out += more
      }
      return out
    case .nil, .map, .function, .module:
      throw CommandWordError(message: "cannot put a value of type \(value.typeName) into a command")
    }
  }
}

/// Why a value cannot be a word of a command.
public struct CommandWordError: Error, Sendable {
  /// `cannot put a value of type map into a command`.
  public var message: String
}
