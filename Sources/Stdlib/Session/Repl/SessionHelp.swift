import Interpreter

/// `:help` text for the REPL and the debugger, generated from the `:` command lists and the
/// built-in table (the same table `docs/stdlib.md` is generated from).
public enum SessionHelp {
  /// A `:` command: how it is written and what it does.
  public typealias Command = (usage: String, help: String)

  /// The REPL's commands.
  public static let replCommands: [Command] = [
    (":help [NAME]", "this help, or a built-in's, module's or command's"),
    (":vars", "the names defined so far, with their values"),
    (":hosts", "the inventory's hosts and groups"),
    (":quit", "leave the REPL (also Ctrl-D)"),
  ]

  /// The debugger's commands.
  public static let debugCommands: [Command] = [
    (":next", "run the paused step, pause before the next one (also :n)"),
    (":continue", "run on until a breakpoint or a failure (also :c)"),
    (":break \"STEP\"", "pause before the step with this name (also :b)"),
    (":break FILE:LINE", "pause before the step written at this line; :break lists them"),
    (":clear", "remove every breakpoint"),
    (":steps", "each step with its status and duration"),
    (":vars", "the variables visible at the paused step, with their values"),
    (":out", "the last command's output on the failed host (:out HOST, :out all: every host)"),
    (":retry", "run the failed step again"),
    (":skip", "leave the paused step out (its value is nil) and go on"),
    (":on HOST", "run ad-hoc commands typed at the prompt on HOST; :on alone shows it"),
    (":where", "the paused step's place in the playbook and the call stack"),
    (":help [NAME]", "this help, or a built-in's, module's or command's"),
    (":quit", "stop the run here (also Ctrl-D)"),
  ]

  /// The command names alone, for completion: `:next`, `:n`, ….
  public static func names(_ commands: [Command]) -> [String] {
    var names = commands.map { String($0.usage.prefix { $0 != " " }) }
    for (long, short) in [(":next", ":n"), (":continue", ":c"), (":break", ":b")]
    where names.contains(long) {
      names.append(short)
    }
    names.append(":h")
    return Array(Set(names)).sorted()
  }

  /// The overview: commands, then every built-in and module by name.
  public static func overview(_ commands: [Command], table: BuiltinTable) -> String {
    let width = commands.map(\.usage.count).max() ?? 0
    var out = "Commands:\n"
    for command in commands {
      out += "  " + pad(command.usage, width) + "  " + command.help + "\n"
    }
    out += "\nAnything else is haflow code, evaluated in the current scope.\n"
    let functions = table.entries.filter { !$0.name.contains(".") }.map(\.name)
    out += "\nBuilt-ins (\(functions.count)):\n" + wrap(functions, indent: "  ", width: 78)
    out += "\nModules:\n"
    let moduleWidth = table.modules.map(\.name.count).max() ?? 0
    for module in table.modules {
      let count = table.members(of: module.name).count
      out += "  " + pad(module.name, moduleWidth) + "  \(module.help) (\(count) functions)\n"
    }
    out +=
      "\n:help NAME shows a built-in's parameters (:help len, :help json, :help json.decode).\n"
    return out
  }

  /// Help on one name: a built-in, a module or a command; nil when there is none.
  public static func topic(_ name: String, commands: [Command], table: BuiltinTable) -> String? {
    let bare = name.hasPrefix(":") ? name : ":" + name
    if let command = commands.first(where: { $0.usage.hasPrefix(bare + " ") || $0.usage == bare }),
      name.hasPrefix(":") || table.lookup(name) == nil
    {
      return "\(command.usage)\n  \(command.help)\n"
    }
    if let builtin = table.lookup(name) {
      return "\(builtin.signature)\n  \(builtin.help)\n"
    }
    if let module = table.modules.first(where: { $0.name == name }) {
      let members = table.members(of: name)
      let width = members.map(\.signature.count).max() ?? 0
      var out = "\(module.name): \(module.help)\n"
      for member in members {
        out += "  " + pad(member.signature, width) + "  " + member.help + "\n"
      }
      return out
    }
    return nil
  }

  static func pad(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
  }

  /// Names separated by commas, wrapped at `width` columns.
  static func wrap(_ names: [String], indent: String, width: Int) -> String {
    var out = ""
    var line = indent
    for (index, name) in names.enumerated() {
      let piece = name + (index == names.count - 1 ? "" : ",")
      if line.count + piece.count + 1 > width, line != indent {
        out += line + "\n"
        line = indent
      }
      line += (line == indent ? "" : " ") + piece
    }
    return out + line + "\n"
  }
}
