import Foundation
import Interpreter

/// Making command values and running them.
enum CommandBuiltins {
  static let family = BuiltinFamily(
    title: "Commands",
    help: "Command values (each argument one shell-quoted word) and running them with options.",
    builtins: [
      Builtin(
        "command", [.rest("words").taking(.literalsAsValues)],
        help:
          "A command of quoted words: a list gives several words, a secret stays redacted, a command is spliced.",
        resolve: { param in
          let wordsArgument = param["words"]
          return { call in
            var pieces: [CommandPiece] = []
            for (offset, word) in try call.rest(wordsArgument).enumerated() {
              let more: [CommandPiece]
              do {
                more = try CommandValue.words(for: word)
              } catch let error as CommandWordError {
                throw call.badArgument(wordsArgument, item: offset, error.message)
              }
              if more.isEmpty { continue }
              if !pieces.isEmpty { pieces.append(.raw(" ")) }
              pieces += more
            }
            return .command(CommandValue(pieces))
          }
        }),
      Builtin(
        "raw", [.req("text").taking(.literalsAsValues)],
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
          .req("cmd").taking(.commandsOnly), .opt("sudo", "false"), .opt("env", "{}"),
          .opt("cwd", "nil"),
          .opt("stdin", "nil"), .opt("timeout", "nil"), .opt("check", "true"),
          .opt("locally", "false"), .opt("sudo_password", "nil"),
        ],
        help:
          "Runs a command value (a literal, passed unrun; command(…); raw(…) for raw shell; not a string) on the current host, or here with `locally: true`, and returns its result; `check: false` allows a non-zero exit; `sudo_password:` (a secret) answers sudo's prompt.",
        resolve: CommandRun.body),
    ])
}
