import Foundation
import Interpreter

/// Making command values and running them.
enum CommandBuiltins {
  static let family = BuiltinFamily(
    title: "Commands",
    help: "Command values (each argument one shell-quoted word) and running them with options.",
    builtins: [
      Builtin(
        "command", [.rest("words")],
        help:
          "A command of quoted words: a list gives several words, a secret stays redacted, a command is spliced.",
        resolve: { param in
          let wordsArgument = param["words"]
          return { call in
            var pieces: [CommandPiece] = []
            for (offset, word) in try call.rest(wordsArgument).enumerated() {
              let more = try words(for: word) {
                call.badArgument(wordsArgument, item: offset, $0)
              }
              if more.isEmpty { continue }
              if !pieces.isEmpty { pieces.append(.raw(" ")) }
              pieces += more
            }
            return .command(CommandValue(pieces))
          }
        }),
      Builtin(
        "raw", [.req("text")],
        help:
          "A command of raw shell text, used exactly as written (no quoting: pipes, globs and $VARS work).",
        resolve: { param in
          let text = param["text"]
          return { call in
            let value = try call.value(text)
            switch value {
            case .string(let s): return .command(CommandValue([.raw(s)]))
            case .secret(let s): return .command(CommandValue([.secretRaw(s)]))
            case .command: return value
            default: throw call.typeError(text, expected: "string", got: value)
            }
          }
        }),
      Builtin(
        "run",
        [
          .req("cmd"), .opt("sudo", "false"), .opt("env", "{}"), .opt("cwd", "nil"),
          .opt("stdin", "nil"), .opt("timeout", "nil"), .opt("check", "true"),
          .opt("locally", "false"), .opt("sudo_password", "nil"),
        ],
        help:
          "Runs a command (a string is raw shell) on the current host, or here with `locally: true`, and returns its result; `check: false` allows a non-zero exit; `sudo_password:` (a secret) answers sudo's prompt.",
        resolve: CommandRun.body),
    ])

  /// The pieces one argument of `command(…)` contributes.
  static func words(for value: Value, error: (String) -> RuntimeError) throws -> [CommandPiece] {
    switch value {
    case .string(let s): return [.word(s)]
    case .int, .float, .bool, .duration: return [.word(value.display)]
    case .secret(let s): return [.secretWord(s)]
    case .command(let c): return c.pieces
    case .host(let h): return [.word(h.address)]
    case .result(let r): return [.word(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))]
    case .list(let items):
      var out: [CommandPiece] = []
      for item in items {
        let more = try words(for: item, error: error)
        if more.isEmpty { continue }
        if !out.isEmpty { out.append(.raw(" ")) }
        out += more
      }
      return out
    case .nil, .map, .function, .module:
      throw error("cannot put a value of type \(value.typeName) into a command")
    }
  }
}
