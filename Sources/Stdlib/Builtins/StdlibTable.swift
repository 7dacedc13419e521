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
    SecretBuiltins.family,
    CommandBuiltins.family,
    HostBuiltins.family,
    ProbeBuiltins.family,
    TransferBuiltins.family,
    DataCodecBuiltins.json,
    DataCodecBuiltins.yaml,
  ]

  /// The built-in table of a normal run.
  public static let table: BuiltinTable = makeTable(families)

  /// What `haflow check` knows of these built-ins beyond their parameters (a test holds them
  /// to what the bodies do).
  public static let facts = BuiltinFacts(
    hostBound: [
      "run": "locally", "read_file": nil, "write_file": nil, "upload": nil, "download": nil,
    ],
    returns: ["run": .result],
    parameterKinds: [
      "timeout": .duration, "every": .duration, "duration": .duration, "mode": .octalMode,
    ],
    arguments: ["host": ["name": .hostName], "group": ["name": .groupName]])

  /// A table holding `families` (modules declared before their members).
  public static func makeTable(_ families: [BuiltinFamily]) -> BuiltinTable {
    var table = BuiltinTable()
    for family in families {
      if let module = family.module { table.addModule(module, help: family.help) }
      table.add(family.builtins)
    }
    table.apply(facts)
    return table
  }
}
