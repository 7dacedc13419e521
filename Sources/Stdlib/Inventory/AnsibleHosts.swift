import Lexer

/// Host patterns in Ansible inventories, with errors pointing into the file.
enum AnsibleHosts {
  /// The host names of `pattern` (written at `span`) and the port it gives them, if any.
  /// `ini`: also refuse what only the INI plugin refuses (a trailing `:`, `---`).
  static func expand(_ pattern: String, at span: Span, in source: InventorySource, ini: Bool)
    throws -> (names: [String], port: Int?)
  {
    let names: [String]
    let port: Int?
    do {
      (names, port) = try HostPattern.expand(pattern)
    } catch {
      throw source.error(error.message, at: span, hint: error.hint)
    }
    guard ini else { return (names, port) }
    if port == nil && InventoryValues.trimmed(pattern).hasSuffix(":") {
      throw source.error(
        "invalid host pattern '\(pattern)': a ':' at the end is reserved for a port",
        at: span, hint: "write host:port, e.g. web1:2222")
    }
    if names.contains(where: { InventoryValues.trimmed($0) == "---" }) {
      throw source.error(
        "'---' is not a host name; this looks like a YAML file", at: span,
        hint: "name YAML inventories with a .yml or .yaml extension")
    }
    return (names, port)
  }
}
