/// The `kubeadm` stand-in's command line: the subset of kubeadm v1.31/v1.32 the recipes use,
/// with kubeadm's flags, output, error messages and exit statuses.
///
/// Everything runs for real (`version`, `certs certificate-key`, `token
/// generate|create|list|delete`, `init`, `init phase certs|kubeconfig|control-plane|etcd
/// local|upload-certs`, `join`, `reset`) — `init`, `join`, `token` and `upload-certs` against
/// the lab's API server — except the `--dry-run`s and what lies outside the recipes' subset,
/// which check their arguments and stop with `notBuiltStatus`.
public enum KubeadmCLI {
  /// The exit status of a valid command the stand-in does not simulate (`EX_UNAVAILABLE`;
  /// kubeadm itself uses 1–3), so a playbook cannot mistake it for kubeadm's own failure.
  public static let notBuiltStatus: Int32 = 69

  /// The hint kubeadm prints after every error.
  static let stackTraceHint = "To see the stack trace of this error execute with --v=5 or higher"

  /// Runs `kubeadm ARGUMENTS` (without the program name) and returns the exit status.
  public static func run(_ arguments: [String], context: KubeadmContext, output: KubeadmOutput)
    -> Int32
  {
    let command = Dispatch(arguments)
    do throws(KubeadmFailure) {
      try command.run(context: context, output: output)
      return 0
    } catch {
      if error.status == notBuiltStatus {
        output.err(error.message + "\n")
      } else if command.verbosity >= 5 {
        output.err(error.message + "\n")
      } else {
        output.err(error.message + "\n" + stackTraceHint + "\n")
      }
      return error.status
    }
  }
}

/// One node of kubeadm's command tree.
struct CommandNode: Sendable {
  /// The subcommand word.
  let name: String
  /// Its children.
  let children: [CommandNode]
  /// The flags it takes (global flags come on top).
  let flags: [FlagSpec]
  /// Whether it runs something itself (a pure group prints its help instead).
  let runs: Bool
  /// How many positional arguments it takes (`nil`: none allowed, reported as an unknown
  /// command, as cobra does).
  let maximumArguments: Int?

  init(
    _ name: String, flags: [FlagSpec] = [], runs: Bool = true, maximumArguments: Int? = nil,
    children: [CommandNode] = []
  ) {
    self.name = name
    self.flags = flags
    self.runs = runs
    self.maximumArguments = maximumArguments
    self.children = children
  }

  func child(_ name: String) -> CommandNode? { children.first { $0.name == name } }
}

/// A parsed `kubeadm` invocation: which command, with which flags and arguments.
struct Dispatch: Sendable {
  /// The command words (`["init", "phase", "certs", "all"]`).
  let path: [String]
  /// The command's node.
  let node: CommandNode
  /// The parse result, or the error to report.
  let parsed: Result<ParsedFlags, KubeadmFailure>

  init(_ arguments: [String]) {
    var node = KubeadmCommands.root
    var path: [String] = []
    var rest: [String] = []
    var index = 0
    var failure: KubeadmFailure?
    var descending = true
    let valueFlags = KubeadmCommands.valueFlagNames
    while index < arguments.count {
      let word = arguments[index]
      if word == "--" {
        rest += arguments[index...]
        break
      }
      if word.hasPrefix("-"), word.count > 1 {
        rest.append(word)
        let name = word.hasPrefix("--") ? String(word.dropFirst(2)) : String(word.dropFirst())
        if !name.contains("="), valueFlags.contains(name), index + 1 < arguments.count {
          index += 1
          rest.append(arguments[index])
        }
      } else if descending, let child = node.child(word) {
        node = child
        path.append(word)
      } else {
        if descending, !node.runs, failure == nil {
          failure = KubeadmFailure(Self.unknownCommand(word, path: path, node: node))
        }
        descending = false
        rest.append(word)
      }
      index += 1
    }
    self.path = path
    self.node = node
    if let failure {
      parsed = .failure(failure)
      return
    }
    switch ParsedFlags.parse(rest, specs: node.flags + KubeadmCommands.globalFlags) {
    case .failure(let error): parsed = .failure(KubeadmFailure(error.message))
    case .success(let flags):
      if let maximum = node.maximumArguments, flags.arguments.count > maximum {
        parsed = .failure(
          KubeadmFailure("accepts at most \(maximum) arg(s), received \(flags.arguments.count)"))
      } else if node.maximumArguments == nil, let extra = flags.arguments.first {
        parsed = .failure(KubeadmFailure(Self.unknownCommand(extra, path: path, node: node)))
      } else {
        parsed = .success(flags)
      }
    }
  }

  /// `-v`/`--v`.
  var verbosity: Int {
    guard case .success(let flags) = parsed, let text = flags.string("v") else { return 0 }
    return Int(text) ?? 0
  }

  /// cobra's message, with its suggestions.
  static func unknownCommand(_ word: String, path: [String], node: CommandNode) -> String {
    var message =
      "unknown command \(GoQuote.quote(word)) for \(GoQuote.quote((["kubeadm"] + path).joined(separator: " ")))"
    let suggestions = node.children.map(\.name).filter {
      $0.hasPrefix(word.lowercased()) || Levenshtein.distance($0, word.lowercased()) <= 2
    }
    if !suggestions.isEmpty {
      message += "\n\nDid you mean this?\n" + suggestions.map { "\t" + $0 + "\n" }.joined()
    }
    return message
  }

  /// Runs the command.
  func run(context: KubeadmContext, output: KubeadmOutput) throws(KubeadmFailure) {
    let flags: ParsedFlags
    switch parsed {
    case .failure(let failure): throw failure
    case .success(let value): flags = value
    }
    if flags.bool("help") || !node.runs {
      output.out(KubeadmCommands.usage(path: path, node: node))
      return
    }
    let runner = KubeadmCommandRunner(context: context, output: output, flags: flags)
    try runner.run(path: path)
  }
}

/// Edit distance, for cobra-style "did you mean" suggestions.
enum Levenshtein {
  static func distance(_ left: String, _ right: String) -> Int {
    let a = Array(left)
    let b = Array(right)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        current[j] = min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
