// Targets `ini`, `yaml` and `haflow-inventory`: `InventoryLoader.parse`, the path every
// inventory file takes after it is read (parse, reconcile, resolve), with the file's extension
// picking the format. A loaded inventory is rendered (every host's settings, groups and
// variables); an error is rendered with its source line and caret.
//
// With HAFLOW_FUZZ_STRICT=1: what is thrown is an `InventoryError` (the documented type),
// whose line and column lie inside the file.

import Lexer

@testable import Inventory

func fuzzINI(_ text: String) {
  loadInventory(text, path: "fuzz/hosts.ini")
  // Ansible inventories without an extension are told apart by their content (this may
  // compose the text as YAML).
  blackHole &+= InventoryFormat.detect(path: "fuzz/hosts", text: text).rawValue.utf8.count
}

func fuzzYAML(_ text: String) {
  loadInventory(text, path: "fuzz/hosts.yml")
}

func fuzzHaflowInventory(_ text: String) {
  loadInventory(text, path: "fuzz/hosts.hf")
}

private func loadInventory(_ text: String, path: String) {
  var warnings: [String] = []
  do {
    let inventory = try InventoryLoader.parse(text, path: path, warnings: &warnings)
    var total = warnings.reduce(0) { $0 &+ $1.utf8.count }
    for host in inventory.hosts {
      total &+= host.name.utf8.count &+ host.address.utf8.count &+ (host.user?.utf8.count ?? 0)
      total &+= (host.port ?? 0) &+ host.connection.rawValue.utf8.count
      for group in host.groups { total &+= group.utf8.count }
      for (key, value) in host.vars { total &+= key.utf8.count &+ value.repr.utf8.count }
    }
    blackHole &+= total
  } catch let error as InventoryError {
    blackHole &+= error.description.utf8.count &+ warnings.count
    if strict { checkPlace(error, in: SourceFile(name: path, text: text)) }
  } catch {
    if strict {
      violation("\(path): threw \(type(of: error)), not an InventoryError", Array(text.utf8))
    }
  }
}

/// An error's line and column lie inside the file (the column may be one past a line's end).
func checkPlace(_ error: InventoryError, in file: SourceFile) {
  guard let line = error.line else { return }
  let column = error.column ?? 0
  let lines = file.lineStarts.count
  let lineBytes =
    (line >= 1 && line < lines ? file.lineStarts[line] : file.bytes.count + 1)
    - (line >= 1 && line <= lines ? file.lineStarts[line - 1] : 0)
  guard line >= 1, line <= lines, column >= 1, column <= lineBytes else {
    violation(
      "\(error.path): error at \(line):\(column) outside the file of \(lines) lines: "
        + error.message, file.bytes)
  }
}
