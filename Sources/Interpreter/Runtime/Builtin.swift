import Lexer

/// One entry of the built-in table: name, parameters, one line of help and the body.
///
/// `--help`, `docs/stdlib.md`, the REPL's completion and the static checker all read the table,
/// so the parameters are declared once, here, and the body reads its arguments through handles
/// resolved from those names when the entry is made (`init(_:_:help:resolve:)`): a body cannot
/// drift from the parameter list by reading the wrong slot number.
public struct Builtin: Sendable {
  /// What a call runs: the body, reading its arguments through `BuiltinArgument` handles.
  public typealias Body = @Sendable (inout BuiltinCall) throws -> Value

  /// The qualified name, `len` or `kubeadm.parse_init`.
  public let name: String
  /// The parameters, in order (the table may add what the checker knows of their values,
  /// `BuiltinParameter.expects`; names and kinds never change).
  public internal(set) var parameters: [BuiltinParameter]
  /// The parameters as the argument binder sees them.
  public let parameterList: ParameterList
  /// One line of help.
  public let help: String
  /// The implementation.
  public let body: Body
  /// What is wrong with how the body names its parameters (a name that is no parameter, a
  /// parameter it never reads), one message each; empty for a sound entry. A table built for
  /// a run refuses an entry with any, so a misspelled or renamed parameter stops the program
  /// at start-up instead of shifting arguments silently.
  public let definitionProblems: [String]
  /// Whether it works on the host of the enclosing `on` (the checker reports a call outside
  /// any); see `BuiltinFacts`.
  public internal(set) var hostUse: HostUse = .none
  /// The type of value it returns, when always the same and worth checking members of.
  public internal(set) var returns: StaticType?

  /// Makes an entry whose body reads its arguments by name. `resolve` runs once, now: it turns
  /// parameter names into handles (`let check = parameters["check"]`) and returns the body
  /// that reads the arguments through them (`call.bool(check, default: true)`). Every name it
  /// asks for must be a parameter, and every parameter must be asked for; otherwise the entry
  /// records the problem in `definitionProblems` and its body throws instead of reading.
  public init(
    _ name: String, _ parameters: [BuiltinParameter], help: String,
    resolve: (ParameterLookup) -> Body
  ) {
    let lookup = ParameterLookup(builtin: name, names: parameters.map(\.name))
    let body = resolve(lookup)
    let problems = lookup.problems
    self.init(
      name, parameters, help: help, problems: problems,
      body: problems.isEmpty ? body : Builtin.refusing(name, problems))
  }

  /// Makes an entry whose body reads no argument (`now()`). With parameters, the entry is
  /// unsound (its body cannot read them) and says so in `definitionProblems`; the body still
  /// runs, for tests of the interpreter that look at the bound slots themselves.
  public init(
    _ name: String, _ parameters: [BuiltinParameter], help: String,
    body: @escaping Body
  ) {
    let problems = parameters.map { "built-in '\(name)' never reads its parameter '\($0.name)'" }
    self.init(name, parameters, help: help, problems: problems, body: body)
  }

  private init(
    _ name: String, _ parameters: [BuiltinParameter], help: String, problems: [String],
    body: @escaping Body
  ) {
    self.name = name
    self.parameters = parameters
    self.help = help
    self.body = body
    self.definitionProblems = problems
    self.parameterList = ParameterList(
      name: name, names: parameters.map(\.name),
      isOptional: parameters.map { $0.kind != .required },
      isVariadic: parameters.last?.kind == .variadic,
      usage: "\(name)(" + parameters.map(\.display).joined(separator: ", ") + ")")
  }

  /// The body of an unsound entry: it reads nothing and says why.
  private static func refusing(_ name: String, _ problems: [String]) -> Body {
    let message = problems.joined(separator: "; ")
    return { _ in throw RuntimeError("internal error: \(message)") }
  }

  /// Binds arguments to the parameters like a call does: one slot per parameter, nil for an
  /// optional one left out, a list for a variadic one. Throws the first problem.
  public func bindArguments(_ positional: [Value], named: [(String, Value)]) throws -> [Value?] {
    try Calls.bind(
      self, positional + named.map(\.1),
      labels: [String?](repeating: nil, count: positional.count) + named.map(\.0), span: .unknown)
  }

  /// The short name, without the module: `parse_init`.
  public var shortName: String {
    name.split(separator: ".").last.map(String.init) ?? name
  }

  /// `name(a, b = …, rest…)` for docs and completion.
  public var signature: String { parameterList.usage }

  /// The fewest positional arguments a call must pass.
  public var requiredCount: Int { parameters.filter { $0.kind == .required }.count }
  /// Whether the last parameter takes any number of values.
  public var isVariadic: Bool { parameters.last?.kind == .variadic }
}

/// A parameter of a built-in.
public struct BuiltinParameter: Sendable, Hashable {
  /// How a parameter is passed.
  public enum Kind: Sendable, Hashable {
    /// Must be given.
    case required
    /// May be left out; the text says what it defaults to (shown in docs).
    case optional(String)
    /// Takes all remaining positional arguments as a list.
    case variadic
  }
  /// What a parameter does with commands.
  public enum Commands: Sendable, Hashable {
    /// Nothing special: a command literal written as the argument runs first, and its
    /// result is the argument.
    case none
    /// A command literal written as the argument is passed as a command value (not run);
    /// other values are taken as the built-in says (`command(…)` words, `raw(…)` text).
    case literalsAsValues
    /// As `literalsAsValues`, and a string is refused: it would run as raw shell, so the
    /// author must say `raw(…)` (`run`).
    case commandsOnly
  }

  /// The name, usable as a label: `timeout:`.
  public var name: String
  /// How it is passed.
  public var kind: Kind
  /// What it does with commands.
  public var commands: Commands
  /// What its values must be, when the checker can tell a literal that cannot be.
  public var expects: ArgumentKind?

  /// Makes a parameter.
  public init(_ name: String, _ kind: Kind = .required, commands: Commands = .none) {
    self.name = name
    self.kind = kind
    self.commands = commands
  }

  /// The same parameter, taking command literals as values (see `Commands`).
  public func taking(_ commands: Commands) -> BuiltinParameter {
    var copy = self
    copy.commands = commands
    return copy
  }

  /// A required parameter.
  public static func req(_ name: String) -> BuiltinParameter { .init(name, .required) }
  /// An optional parameter with the default shown in docs.
  public static func opt(_ name: String, _ defaultText: String) -> BuiltinParameter {
    .init(name, .optional(defaultText))
  }
  /// A variadic parameter.
  public static func rest(_ name: String) -> BuiltinParameter { .init(name, .variadic) }

  var display: String {
    switch kind {
    case .required: name
    case .optional(let text): "\(name) = \(text)"
    case .variadic: "\(name)…"
    }
  }
}

/// One call of a built-in: the arguments bound to the parameters, where the call is, and the
/// run it belongs to.
public struct BuiltinCall {
  /// One slot per parameter, in order; nil when an optional one was not given. A variadic
  /// parameter's slot holds a list. Internal: bodies read it through `BuiltinArgument`
  /// handles (`call[check]`), never by a slot number.
  var arguments: [Value?]
  /// The built-in being called (for error messages).
  public let builtin: Builtin
  /// The call's source span.
  public let span: Span
  /// The interpreter, to call closures and reach the run's effects.
  public let context: any CallContext

  /// Makes a call record.
  public init(arguments: [Value?], builtin: Builtin, span: Span, context: any CallContext) {
    self.arguments = arguments
    self.builtin = builtin
    self.span = span
    self.context = context
  }
}

/// What a built-in may ask of the interpreter running it.
public protocol CallContext {
  /// Calls a function value with positional and named arguments.
  func call(_ function: Function, _ arguments: [Value], named: [(String, Value)]) throws -> Value
  /// The host of the enclosing `on` block, if any.
  var currentHost: Host? { get }
  /// The run's effects and state.
  var run: RunContext { get }
}

/// How a built-in uses the host of the enclosing `on`.
public enum HostUse: Sendable, Hashable {
  /// It needs none.
  case none
  /// It works on that host; outside `on` it fails, unless the parameter named here (e.g.
  /// `locally`) is given as true.
  case enclosing(unless: String?)
}

/// The type of a value as the checker knows it before the run (`Value.typeName`'s names).
public enum StaticType: String, Sendable, Hashable {
  case `nil`, bool, int, float, string, duration, list, map, function, command, secret, host
  case result, module
}

/// What a parameter's values must be, for the static checks of literal arguments.
public enum ArgumentKind: Sendable, Hashable {
  /// A duration (`2s`); an int or float literal is an error.
  case duration
  /// File permissions as an octal string (`"0640"`); an int literal is an error.
  case octalMode
  /// The name of an inventory host; a literal is checked when the inventory is known.
  case hostName
  /// The name of an inventory group; a literal is checked when the inventory is known.
  case groupName
}

/// Facts about the built-ins the checker uses beyond their parameter lists, declared once for
/// the table by the library that makes it: which built-ins work on the enclosing `on`'s host,
/// what some return, and what the parameters of a given name take (across the library a
/// parameter name means one thing: every `timeout:` is a duration, every `mode:` an octal
/// string).
public struct BuiltinFacts: Sendable {
  /// Built-in name → the parameter that makes it run here instead (nil: none).
  public var hostBound: [String: String?]
  /// Built-in name → what it returns.
  public var returns: [String: StaticType]
  /// Parameter name → what it takes, in every built-in that has one.
  public var parameterKinds: [String: ArgumentKind]
  /// Built-in name → parameter name → what it takes, for one built-in's parameter.
  public var arguments: [String: [String: ArgumentKind]]

  /// Makes facts.
  public init(
    hostBound: [String: String?] = [:], returns: [String: StaticType] = [:],
    parameterKinds: [String: ArgumentKind] = [:], arguments: [String: [String: ArgumentKind]] = [:]
  ) {
    self.hostBound = hostBound
    self.returns = returns
    self.parameterKinds = parameterKinds
    self.arguments = arguments
  }
}
