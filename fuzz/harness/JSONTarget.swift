// Target `json`: `JSONParser.parse`, what `json.decode` runs (compiled in from
// Sources/Stdlib/Builtins/Support/JSONParser.swift), then `JSONWriter` (`json.encode`) on what
// it returns, compact and indented; an error's message is rendered.
//
// With HAFLOW_FUZZ_STRICT=1: decoding the encoded text gives the same value back, with the
// same types (an int stays an int), key order and strings.

import Interpreter

func fuzzJSON(_ text: String) {
  let value: Value
  do {
    value = try JSONParser.parse(text)
  } catch {
    blackHole &+= error.message.utf8.count
    return
  }
  for indent in [nil, 2] as [Int?] {
    let encoded: String
    do {
      guard case .string(let out) = try JSONWriter.encode(value, indent: indent) else {
        violation("json.encode did not return a string", Array(text.utf8))
      }
      encoded = out
    } catch {
      // Only non-finite floats (1e999) cannot be written; anything else is a bug.
      if strict && isFinite(value) {
        violation("json.encode failed on a decoded value: \(error)", Array(text.utf8))
      }
      return
    }
    blackHole &+= encoded.utf8.count
    guard strict else { continue }
    do {
      let again = try JSONParser.parse(encoded)
      if !same(value, again) {
        violation("decode(encode(v)) != v; encoded: \(encoded)", Array(text.utf8))
      }
    } catch {
      violation("json.decode failed on json.encode's output \(encoded): \(error)", Array(text.utf8))
    }
  }
}

/// Whether every float in `value` is finite.
private func isFinite(_ value: Value) -> Bool {
  switch value {
  case .float(let f): f.isFinite
  case .list(let items): items.allSatisfy(isFinite)
  case .map(let entries): entries.values.allSatisfy(isFinite)
  default: true
  }
}

/// Equality that also compares types (1 is not 1.0) and key order.
private func same(_ a: Value, _ b: Value) -> Bool {
  switch (a, b) {
  case (.nil, .nil): return true
  case (.bool(let x), .bool(let y)): return x == y
  case (.int(let x), .int(let y)): return x == y
  case (.float(let x), .float(let y)): return x == y
  case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
  case (.list(let x), .list(let y)):
    return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
  case (.map(let x), .map(let y)):
    return x.count == y.count
      && zip(x, y).allSatisfy {
        $0.key.unicodeScalars.elementsEqual($1.key.unicodeScalars) && same($0.value, $1.value)
      }
  default: return false
  }
}
