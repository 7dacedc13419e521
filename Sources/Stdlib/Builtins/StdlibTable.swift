import Interpreter

/// The standard library: every built-in family, assembled into the table the interpreter,
/// the checker, the REPL and `docs/stdlib.md` read.
public enum Stdlib {
  /// The families in documentation order.
  public static let families: [BuiltinFamily] = [
    OutputBuiltins.family,
    ConversionBuiltins.family,
    CollectionBuiltins.family,
    FunctionalBuiltins.family,
    NumberBuiltins.family,
    TextBuiltins.family,
    RegexBuiltins.family,
    TimeBuiltins.family,
    RetryBuiltins.family,
    SecretBuiltins.family,
    CommandBuiltins.family,
    HostBuiltins.family,
    ProbeBuiltins.family,
    TransferBuiltins.family,
    DataCodecBuiltins.json,
    DataCodecBuiltins.yaml,
    KubeadmBuiltins.family,
  ]

  /// The built-in table of a normal run. A built-in whose body names a parameter it does not
  /// declare (or never reads one it does) stops the program here, the first time anything
  /// asks for the table: at start-up, and in every test.
  public static let table: BuiltinTable = {
    do {
      return try makeTable(families)
    } catch {
      fatalError("the built-in table is wrong: \(error)")
    }
  }()

  /// What `haflow check` knows of these built-ins beyond their parameters (a test holds them
  /// to what the bodies do).
  public static let facts = BuiltinFacts(
    hostBound: [
      "run": "locally", "read_file": nil, "write_file": nil, "upload": nil, "download": nil,
    ],
    returns: ["run": .result],
    parameterKinds: [
      "timeout": .duration, "every": .duration, "duration": .duration, "delay": .duration,
      "mode": .octalMode,
    ],
    arguments: [
      "host": ["name": .hostName], "group": ["name": .groupName],
      "kubeadm.refresh_if_expired": ["on": .hostName, "margin": .duration, "token_ttl": .duration],
      "kubeadm.parse_init": ["token_ttl": .duration],
      "kubeadm.parse_join_command": ["token_ttl": .duration],
    ])

  /// The formats of secrets hidden from commands' output as it streams (see
  /// `KubeadmSecretScanner`).
  public static let outputScanners: [any OutputSecretScanner] = [KubeadmSecretScanner()]

  /// What `haflow check` knows of the tools a playbook drives (see `KubeadmStaticRule`).
  public static let staticRules: [any StaticRule] = [KubeadmStaticRule()]

  /// What the library knows of tools' failures (see `KubeadmFailureExplainer`).
  public static let failureExplainers: [any CommandFailureExplainer] = [KubeadmFailureExplainer()]

  /// A table holding `families` (modules declared before their members), or the problems of
  /// the built-ins whose bodies do not read their parameters by their declared names.
  public static func makeTable(_ families: [BuiltinFamily]) throws(BuiltinTableError)
    -> BuiltinTable
  {
    let problems = families.flatMap(\.builtins).flatMap(\.definitionProblems)
    guard problems.isEmpty else { throw BuiltinTableError(problems: problems) }
    var table = BuiltinTable()
    for family in families {
      if let module = family.module { table.addModule(module, help: family.help) }
      table.add(family.builtins)
    }
    table.apply(facts)
    table.outputScanners = outputScanners
    table.staticRules = staticRules
    table.failureExplainers = failureExplainers
    return table
  }
}

/// Why a built-in table could not be built: its built-ins' `definitionProblems`, which are
/// mistakes in the standard library's code, not in a user's program.
public struct BuiltinTableError: Error, Sendable, CustomStringConvertible {
  /// One message per problem: `built-in 'run' has no parameter named 'chek' (did you mean
  /// 'check'?)`.
  public var problems: [String]

  /// The problems, one per line.
  public var description: String { problems.joined(separator: "\n") }
}
