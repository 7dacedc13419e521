import ArgumentParser
import Foundation
import Interpreter
import Inventory
import Session

/// `haflow inventory -i FILE [--json]`.
struct InventoryCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "inventory",
    abstract: "Print the hosts and groups of an inventory, resolved.",
    discussion: """
      The inventory is written in haflow syntax (.hf), as an Ansible INI inventory or as an \
      Ansible YAML inventory (.yml, .yaml); other names are recognised by their content. \
      Ansible inventories resolve as `ansible-inventory --list` resolves them: host ranges, \
      :children, :vars, inline vars, host:port, nested YAML groups, variable precedence. \
      See docs/inventory.md.

      The listing shows each host's address, port, user and groups, then each group with \
      every host in it (children included). --json prints {"groups": {NAME: [hosts]}, \
      "hosts": {NAME: {"address", "connection", "port", "user", "vars"}}} with sorted keys; \
      port and user are null when the inventory does not set them.

      EXAMPLES:
        haflow inventory -i hosts.ini
        haflow inventory -i cluster.yml --json | jq '.groups.control_plane'

      EXIT CODES:
        0   the inventory is valid (warnings allowed)
        2   usage error: bad flags, unreadable file
        65  the inventory has an error (shown with file:line:col)
      """)

  /// `-i FILE`.
  @Option(
    name: [.customShort("i"), .customLong("inventory")],
    help: ArgumentHelp(
      "The inventory: haflow syntax, Ansible INI or Ansible YAML.", valueName: "file"))
  var inventory: String

  /// `--json`.
  @Flag(help: "Print the resolved hosts and groups as JSON.")
  var json = false

  /// Rejects an empty path (a failed `$(haflow lab up)`).
  func validate() throws { try ConnectionOptions.validateInventoryPath(inventory) }

  /// Loads the inventory and prints it; exits 2 when the file cannot be read, 65 when it is
  /// invalid.
  func run() throws {
    let style = TerminalStyle.forStandardError(environment: ProcessInfo.processInfo.environment)
    let report = OutcomeReport(style: style)
    var warnings: [String] = []
    let loaded: Inventory
    do {
      loaded = InventoryBridge.inventory(
        try InventoryLoader.load(path: inventory, warnings: &warnings))
    } catch let error as InventoryError {
      throw report.inventoryFailure(error, warnings: warnings)
    }
    for warning in warnings { Console.err(report.highlight(warning) + "\n") }
    Console.out(json ? InventoryRendering.json(loaded) : InventoryRendering.text(loaded))
  }
}
