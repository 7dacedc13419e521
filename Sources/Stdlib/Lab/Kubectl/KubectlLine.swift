/// A kubectl command line split into the command, its positional arguments and its flags
/// (pflag style: `--name=value`, `--name value`, `-n value`, `-nvalue`; flags anywhere).
/// Only the flags the stand-in knows are accepted; any other fails as kubectl's does.
struct KubectlLine: Sendable {
  /// `apply`, `get`, …
  var command = ""
  /// Positional arguments after the command.
  var arguments: [String] = []
  /// `--kubeconfig`.
  var kubeconfig: String?
  /// `-n` / `--namespace`.
  var namespace: String?
  /// `--request-timeout` (default 10 s here; kubectl's 0 means none).
  var requestTimeout: Duration = .seconds(30)
  /// Command flags by long name (`filename` may repeat).
  var flags: [String: [String]] = [:]

  /// Flags taking a value, by long name, with their shorthand.
  static let valueFlags: [String: Character?] = [
    "kubeconfig": nil, "namespace": "n", "request-timeout": nil, "filename": "f",
    "output": "o", "for": nil, "timeout": nil, "selector": "l", "context": nil,
  ]
  /// Boolean flags.
  static let boolFlags: [String: Character?] = [
    "all": nil, "all-namespaces": "A", "ignore-not-found": nil, "force": nil,
    "ignore-daemonsets": nil, "delete-emptydir-data": nil,
  ]

  /// The flags each command accepts besides the global ones.
  static let commandFlags: [String: Set<String>] = [
    "apply": ["filename", "output"], "get": ["output", "all-namespaces", "selector"],
    "wait": ["for", "timeout", "all", "selector"], "cluster-info": [],
    "delete": ["ignore-not-found"],
    "drain": ["force", "ignore-daemonsets", "delete-emptydir-data", "timeout"],
  ]
  static let globalFlags: Set<String> = ["kubeconfig", "namespace", "request-timeout", "context"]

  static func parse(_ arguments: [String]) throws(KubectlFailure) -> KubectlLine {
    var line = KubectlLine()
    var positional: [String] = []
    var seen: [(String, String)] = []
    var index = 0
    func usageHint() -> String {
      line.command.isEmpty
        ? "See 'kubectl --help' for usage." : "See 'kubectl \(line.command) --help' for usage."
    }
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if argument == "--" {
        positional += arguments[index...]
        break
      }
      if argument.hasPrefix("--") {
        var name = String(argument.dropFirst(2))
        var value: String?
        if let equals = name.firstIndex(of: "=") {
          value = String(name[name.index(after: equals)...])
          name = String(name[..<equals])
        }
        if valueFlags[name] != nil {
          if value == nil {
            guard index < arguments.count else {
              throw KubectlFailure("error: flag needs an argument: --\(name)\n\(usageHint())\n")
            }
            value = arguments[index]
            index += 1
          }
          seen.append((name, value!))
        } else if boolFlags[name] != nil {
          seen.append((name, value ?? "true"))
        } else {
          throw KubectlFailure("error: unknown flag: --\(name)\n\(usageHint())\n")
        }
      } else if argument.hasPrefix("-"), argument.count > 1 {
        let letter = argument.dropFirst().first!
        if let long = valueFlags.first(where: { $0.value == letter })?.key {
          var value = String(argument.dropFirst(2))
          if value.hasPrefix("=") { value.removeFirst() }
          if value.isEmpty {
            guard index < arguments.count else {
              throw KubectlFailure(
                "error: flag needs an argument: '\(letter)' in -\(letter)\n\(usageHint())\n")
            }
            value = arguments[index]
            index += 1
          }
          seen.append((long, value))
        } else if let long = boolFlags.first(where: { $0.value == letter })?.key,
          argument.count == 2
        {
          seen.append((long, "true"))
        } else {
          throw KubectlFailure(
            "error: unknown shorthand flag: '\(letter)' in \(argument)\n\(usageHint())\n")
        }
      } else if line.command.isEmpty {
        line.command = argument
      } else {
        positional.append(argument)
      }
    }
    guard !line.command.isEmpty else {
      throw KubectlFailure("error: a command is required\nRun 'kubectl --help' for usage.\n")
    }
    guard let allowed = commandFlags[line.command] else {
      throw KubectlFailure.unknownCommand(line.command)
    }
    for (name, value) in seen {
      guard globalFlags.contains(name) || allowed.contains(name) else {
        throw KubectlFailure(
          "error: unknown flag: --\(name)\nSee 'kubectl \(line.command) --help' for usage.\n")
      }
      switch name {
      case "kubeconfig": line.kubeconfig = value
      case "namespace": line.namespace = value
      case "request-timeout":
        guard let seconds = Self.goDurationSeconds(value) else {
          throw KubectlFailure(
            "error: invalid argument \"\(value)\" for \"--request-timeout\" flag: time: invalid duration \"\(value)\"\n"
          )
        }
        if seconds > 0 { line.requestTimeout = .milliseconds(Int64(seconds * 1000)) }
      default: line.flags[name, default: []].append(value)
      }
    }
    line.arguments = positional
    return line
  }

  /// The last value of a command flag.
  func flag(_ name: String) -> String? { flags[name]?.last }

  /// Seconds in a Go duration (`30s`, `5m`, `1h30m`, a bare `0`); a bare number is seconds,
  /// as kubectl's `--request-timeout` takes it.
  static func goDurationSeconds(_ text: String) -> Double? {
    if let bare = Double(text) { return bare }
    switch GoDuration.parse(text) {
    case .success(let seconds): return seconds
    case .failure: return nil
    }
  }
}
