// Target `python-literal`: the reader the INI inventory applies to every `key=value` value
// (`PythonLiteral.evaluate`, a subset of Python's `ast.literal_eval`), and `PythonLiteral.int`
// (Python's `int()`, used for ports, priorities and range bounds); a value is rendered as
// messages show it.
//
// With HAFLOW_FUZZ_STRICT=1: an int's own text reads back as the same int.

@testable import Inventory

func fuzzPythonLiteral(_ text: String) {
  var total = 0
  if let value = PythonLiteral.evaluate(text) {
    total &+= value.repr.utf8.count &+ InventoryValues.describe(value).utf8.count
    if strict, case .int(let number) = value, PythonLiteral.evaluate(String(number)) != value {
      violation("literal_eval(str(\(number))) != \(number)", Array(text.utf8))
    }
  }
  if let number = PythonLiteral.int(text) {
    total &+= number
    if strict && PythonLiteral.int(String(number)) != number {
      violation("int(str(\(number))) != \(number)", Array(text.utf8))
    }
  }
  blackHole &+= total
}
