import ArgumentParser

/// The `haflow` command: runs, checks and documents playbooks.
@main
struct Haflow: ParsableCommand {
  /// The version `haflow --version` prints.
  static let version = "0.1.0"

  /// Names, help and subcommands.
  static let configuration = CommandConfiguration(
    commandName: "haflow",
    abstract: "Run multi-host procedures written as haflow playbooks.",
    discussion: HelpText.root,
    version: "haflow \(version)",
    subcommands: [
      RunCommand.self, RunsCommand.self, CheckCommand.self, DocsCommand.self,
      InventoryCommand.self, ExecCommand.self, ReplCommand.self, DebugCommand.self,
      LabCommand.self, RehearseCommand.self, KubeadmCommand.self,
    ])
}
