import Interpreter
import Lexer

/// Looking up the inventory.
enum HostBuiltins {
  static let family = BuiltinFamily(
    title: "Hosts",
    help:
      "The inventory's hosts and groups, for `on` blocks and host variables (h.name, h.address, …).",
    builtins: [
      Builtin(
        "host", [.req("name")],
        help: "The inventory host with this name (an error if there is none).",
        resolve: { param in
          let name = param["name"]
          return { call in .host(try call.host(name)) }
        }),
      Builtin(
        "group", [.req("name")],
        help:
          "The hosts of an inventory group, in inventory order (an error if the group is unknown).",
        resolve: { param in
          let nameArgument = param["name"]
          return { call in
            let name = try call.string(nameArgument)
            let inventory = call.context.run.inventory
            let members = inventory.group(named: name)
            if members.isEmpty {
              var groups: [String] = []
              for group in inventory.hosts.flatMap(\.groups) where !groups.contains(group) {
                groups.append(group)
              }
              throw RuntimeError(
                "unknown group '\(name)'",
                hint: Suggest.hint(for: name, among: groups)
                  ?? (groups.isEmpty
                    ? "the inventory has no groups" : "groups: " + groups.joined(separator: ", ")))
            }
            return .list(members.map { .host($0) })
          }
        }),
      Builtin(
        "current_host", [], help: "The host the enclosing `on` block runs on; nil outside `on`.",
        body: { call in call.context.currentHost.map(Value.host) ?? .nil }),
      Builtin(
        "hosts", [],
        help:
          "Every host of the inventory, in inventory order (not the implicit `localhost` a run adds when the inventory has none).",
        body: { call in
          .list(call.context.run.inventory.hosts.filter { !$0.isImplicit }.map { .host($0) })
        }),
    ])

  /// The host named `name`, or an error with a suggestion.
  static func lookup(_ name: String, in inventory: Inventory) throws -> Host {
    if let host = inventory.host(named: name) { return host }
    let names = inventory.hosts.map(\.name)
    throw RuntimeError(
      "unknown host '\(name)'",
      hint: Suggest.hint(for: name, among: names)
        ?? (names.isEmpty ? "the inventory has no hosts" : nil))
  }
}
