import ArgumentParser

/// `haflow kubeadm …`: kubeadm's output read as the `kubeadm` module reads it.
struct KubeadmCommand: ParsableCommand {
  /// Names, help and subcommands.
  static let configuration = CommandConfiguration(
    commandName: "kubeadm",
    abstract: "Read what kubeadm printed (join commands, tokens, certificate keys).",
    subcommands: [KubeadmParseInitCommand.self])
}
