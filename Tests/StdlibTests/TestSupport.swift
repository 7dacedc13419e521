import Foundation
import Interpreter
import Lexer
import Session
import Synchronization
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Stdlib

/// A `CallContext` without the interpreter: it can call built-in function values.
struct TestContext: CallContext {
  var currentHost: Host?
  var run: RunContext

  func call(_ function: Function, _ arguments: [Value], named: [(String, Value)]) throws -> Value {
    guard case .builtin(let builtin) = function.kind else {
      throw RuntimeError("closures need the interpreter")
    }
    return try Harness.invoke(builtin, arguments, named: named, context: self)
  }
}

/// Calls built-ins of `Stdlib.table` as the interpreter would.
struct Harness {
  let sink = RecordingSink()
  var executor: any CommandExecutor = FakeExecutor()
  var inventory = Inventory()
  var environment: [String: String] = [:]
  var currentHost: Host?

  var context: TestContext {
    TestContext(
      currentHost: currentHost,
      run: RunContext(
        sink: sink, executor: executor, inventory: inventory, builtins: Stdlib.table,
        environment: environment, prober: PortProbes()))
  }

  /// Calls `name` with positional and named arguments.
  func call(_ name: String, _ positional: Value..., named: [(String, Value)] = []) throws -> Value {
    guard let builtin = Stdlib.table.lookup(name) else {
      throw RuntimeError("no built-in \(name)")
    }
    return try Harness.invoke(builtin, positional, named: named, context: context)
  }

  /// The message of the error `name(args…)` throws, or nil when it does not throw.
  func error(_ name: String, _ positional: Value..., named: [(String, Value)] = []) -> String? {
    guard let builtin = Stdlib.table.lookup(name) else { return "no built-in \(name)" }
    do {
      _ = try Harness.invoke(builtin, positional, named: named, context: context)
      return nil
    } catch let error as RuntimeError {
      return error.message
    } catch {
      return "unexpected error \(error)"
    }
  }

  /// The thrown runtime error itself.
  func runtimeError(_ name: String, _ positional: Value..., named: [(String, Value)] = [])
    -> RuntimeError?
  {
    guard let builtin = Stdlib.table.lookup(name) else { return nil }
    do {
      _ = try Harness.invoke(builtin, positional, named: named, context: context)
      return nil
    } catch let error as RuntimeError {
      return error
    } catch {
      return nil
    }
  }

  /// Binds arguments with the interpreter's binder and runs the body.
  static func invoke(
    _ builtin: Builtin, _ positional: [Value], named: [(String, Value)], context: any CallContext
  ) throws -> Value {
    let slots = try builtin.bindArguments(positional, named: named)
    var call = BuiltinCall(arguments: slots, builtin: builtin, span: .unknown, context: context)
    return try builtin.body(&call)
  }
}

/// Shorthands for building values in tests.
extension Value {
  static func s(_ text: String) -> Value { .string(text) }
  /// A command of raw shell text, as `raw(text)` makes.
  static func raw(_ text: String) -> Value { .command(CommandValue([.raw(text)])) }
  static func strings(_ items: String...) -> Value { .list(items.map { .string($0) }) }
  static func ints(_ items: Int...) -> Value { .list(items.map { .int($0) }) }
  static func fn(_ name: String) -> Value {
    guard let builtin = Stdlib.table.lookup(name) else { return .nil }
    return .function(Function(.builtin(builtin)))
  }
  static func seconds(_ n: Int64) -> Value { .duration(n * 1_000_000_000) }
}
