import Lexer

/// A handle on one of a built-in's arguments, resolved from its parameter's name once, when
/// the built-in is made. Bodies read arguments only through handles (there is no way to make
/// one from a number), so the parameter list is the one place that says which argument is
/// which; the handle still knows its position, for the Lua-style `bad argument #2 to 'run'`.
public struct BuiltinArgument: Sendable, Hashable {
  /// The parameter's slot in `BuiltinCall.arguments`.
  let slot: Int

  /// The argument's number as messages count it, from 1: `bad argument #2`.
  public var number: Int { slot + 1 }

  /// The number of the `item`th value (from 0) that a variadic parameter took, when the
  /// arguments before it were positional: `command("a", 1.5, {})` — the map is argument #3.
  public func number(ofItem item: Int) -> Int { slot + item + 1 }
}

/// The parameter names of a built-in being made, looked up by name: `parameters["timeout"]`
/// is the handle its body reads that argument through. `Builtin.init(_:_:help:resolve:)`
/// hands one to `resolve` and then asks it what went wrong: a name that is no parameter, or
/// a parameter never looked up (a body that forgot an argument, or a stale parameter list).
public final class ParameterLookup {
  private let builtin: String
  private let names: [String]
  private var unknown: [String] = []
  private var looked: Set<Int> = []

  init(builtin: String, names: [String]) {
    self.builtin = builtin
    self.names = names
  }

  /// The handle of the parameter called `name`. A name that is no parameter is recorded as a
  /// problem of the built-in (the handle it gives reads nothing: the body is never run).
  public subscript(name: String) -> BuiltinArgument {
    guard let slot = names.firstIndex(of: name) else {
      unknown.append(name)
      return BuiltinArgument(slot: names.count)
    }
    looked.insert(slot)
    return BuiltinArgument(slot: slot)
  }

  /// What is wrong, one message each: unknown names first, then parameters never looked up.
  var problems: [String] {
    let list = names.isEmpty ? "it has none" : "its parameters: " + names.joined(separator: ", ")
    let misnamed = unknown.map { name in
      "built-in '\(builtin)' has no parameter named '\(name)' ("
        + (Suggest.hint(for: name, among: names) ?? list) + ")"
    }
    let unread = names.indices.filter { !looked.contains($0) }.map {
      "built-in '\(builtin)' never reads its parameter '\(names[$0])'"
    }
    return misnamed + unread
  }
}

extension BuiltinCall {
  /// The argument as bound: nil when it was left out (an explicit `nil` is `.nil`).
  public subscript(argument: BuiltinArgument) -> Value? {
    arguments.indices.contains(argument.slot) ? arguments[argument.slot] : nil
  }
}
