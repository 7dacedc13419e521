import Lexer

/// The parameters of something callable — names in order, which may be left out, whether the
/// last one takes the remaining positional arguments — with the one binder that fits a call's
/// arguments to them. User functions and built-ins both bind here, at check time (problems
/// become diagnostics) and at run time (the first problem is a runtime error), so the rules and
/// the messages exist once.
///
/// The rule: arguments are taken in written order; a named one fills the parameter of that
/// name, a positional one the first parameter not filled yet (the variadic one, if any, takes
/// every positional argument left over).
public struct ParameterList: Sendable, Hashable {
  /// The callee as named in messages: `len`, `kubeadm.parse_init`, `greet`, `<closure>`.
  public var name: String
  /// The parameter names, in order.
  public var names: [String]
  /// Per parameter: whether a call may leave it out (it has a default, or is variadic).
  public var isOptional: [Bool]
  /// Whether the last parameter takes the remaining positional arguments as a list.
  public var isVariadic: Bool
  /// How to call it, for the `usage:` hint: `greet(name, greeting = …)`.
  public var usage: String

  /// Makes a parameter list; `isOptional` has one entry per name.
  public init(
    name: String, names: [String], isOptional: [Bool], isVariadic: Bool = false, usage: String
  ) {
    self.name = name
    self.names = names
    self.isOptional = isOptional
    self.isVariadic = isVariadic && !names.isEmpty
    self.usage = usage
  }

  /// How many parameters take one argument each (all but a variadic last one).
  public var fixedCount: Int { isVariadic ? names.count - 1 : names.count }

  /// The position of the parameter a label names; nil for no such parameter (a variadic
  /// parameter cannot be named).
  public func index(of label: String) -> Int? {
    guard let index = names.firstIndex(of: label), index < fixedCount else { return nil }
    return index
  }

  /// Fits arguments to the parameters. `labels` has one entry per argument in written order:
  /// its label, or nil for a positional argument.
  public func bind(labels: some Sequence<String?>) -> ArgumentBinding {
    var binding = ArgumentBinding(given: [Bool](repeating: false, count: names.count))
    let fixed = fixedCount
    var next = 0
    var overflow = 0
    for (argument, label) in labels.enumerated() {
      if let label {
        guard let index = index(of: label) else {
          binding.problems.append(.unknownLabel(label, argument: argument))
          binding.targets.append(nil)
          continue
        }
        if binding.given[index] {
          binding.problems.append(.givenTwice(label, argument: argument))
          binding.targets.append(nil)
          continue
        }
        binding.given[index] = true
        binding.targets.append(index)
        continue
      }
      while next < fixed && binding.given[next] { next += 1 }
      if next < fixed {
        binding.given[next] = true
        binding.targets.append(next)
        next += 1
      } else if isVariadic {
        binding.given[fixed] = true
        binding.targets.append(fixed)
      } else {
        overflow += 1
        binding.targets.append(nil)
      }
    }
    if overflow > 0 {
      binding.problems.insert(.tooMany(takes: fixed, got: fixed + overflow), at: 0)
    }
    for index in 0..<fixed where !binding.given[index] && !isOptional[index] {
      binding.problems.append(.missing(names[index]))
    }
    return binding
  }

  /// `bind(labels:)` at run time: the binding, or the first problem as a runtime error.
  func bindOrThrow(labels: [String?], span: Span) throws -> ArgumentBinding {
    let binding = bind(labels: labels)
    if let problem = binding.problems.first {
      throw RuntimeError(diagnostic(for: problem, at: span))
    }
    return binding
  }

  /// The message for a problem, with its hint, at `span` (the label's for a named argument
  /// that does not fit, the call's otherwise).
  public func diagnostic(for problem: ArgumentProblem, at span: Span) -> Diagnostic {
    switch problem {
    case .tooMany(let takes, let got):
      return .error(
        "too many arguments to '\(name)' (takes at most \(takes), got \(got))", at: span,
        hint: "usage: \(usage)")
    case .unknownLabel(let label, _):
      let named = Array(names.prefix(fixedCount))
      let hint =
        Suggest.hint(for: label, among: named)
        ?? (named.isEmpty
          ? "it takes no named arguments" : "its parameters: \(named.joined(separator: ", "))")
      return .error("'\(name)' has no parameter named '\(label)'", at: span, hint: hint)
    case .givenTwice(let label, _):
      return .error("argument '\(label)' given twice", at: span)
    case .missing(let parameter):
      return .error(
        "missing argument '\(parameter)' in call to '\(name)'", at: span, hint: "usage: \(usage)")
    }
  }
}

/// Why a call's arguments do not fit a `ParameterList`.
public enum ArgumentProblem: Sendable, Hashable {
  /// More positional arguments than parameters to take them.
  case tooMany(takes: Int, got: Int)
  /// A label that names no parameter; `argument` is its position in the call.
  case unknownLabel(String, argument: Int)
  /// A label for a parameter already given.
  case givenTwice(String, argument: Int)
  /// A parameter with no default that no argument fills.
  case missing(String)
}

/// How a call's arguments fit a `ParameterList`.
public struct ArgumentBinding: Sendable {
  /// Per argument, in written order, the parameter it fills (the variadic one for each extra
  /// positional argument); nil when it fits none.
  public var targets: [Int?] = []
  /// Per parameter, whether an argument fills it.
  public var given: [Bool]
  /// What does not fit: too many arguments first, then the labels in written order, then the
  /// missing parameters.
  public var problems: [ArgumentProblem] = []
}
