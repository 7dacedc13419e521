/// `kubectl get nodes` as `haflow exec` prints it, read back by the lab tests: each node's
/// columns after its name, without exec's `[host]` prefix and without the recap's host lines
/// (`cp1  ok=0 changed=1 …`), which also start with a host name.
enum KubectlNodeTable {
  /// Node name → its STATUS, ROLES, AGE, VERSION columns, for the nodes named in `names`.
  static func rows(_ output: String, names: Set<String>) -> [String: [String]] {
    var rows: [String: [String]] = [:]
    for line in output.split(separator: "\n") where !line.contains("changed=") {
      let fields = line.split(separator: " ").map(String.init).filter { !$0.hasPrefix("[") }
      guard fields.count >= 3, names.contains(fields[0]) else { continue }
      rows[fields[0]] = Array(fields.dropFirst())
    }
    return rows
  }
}
