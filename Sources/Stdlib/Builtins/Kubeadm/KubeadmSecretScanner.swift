import Interpreter

/// Hides what kubeadm prints that gives access to the cluster: in the output (and command
/// line) of any command that runs `kubeadm` (`kubeadm init`, `sudo /usr/bin/kubeadm token
/// create …`), every bootstrap token and certificate key is registered as a secret of the run
/// before its line is shown, so it never reaches the terminal, the logs or the events in clear,
/// even when kubeadm generated it. The command's result keeps the values, so
/// `kubeadm.parse_init` still reads them (and returns them as secrets).
public struct KubeadmSecretScanner: OutputSecretScanner {
  /// Makes the scanner.
  public init() {}

  /// Whether a word of the command is the program `kubeadm` (a path ending in `/kubeadm`
  /// too). A word `kubeadm` that is only an argument (`echo kubeadm`) also counts: hiding a
  /// token-shaped value too many is harmless.
  public func applies(to command: CommandValue) -> Bool {
    command.displayText.split(whereSeparator: { " \t\n;&|()'\"".contains($0) }).contains {
      $0 == "kubeadm" || $0.hasSuffix("/kubeadm")
    }
  }

  /// The tokens and certificate keys in `line`.
  public func secrets(in line: String) -> [Secret] {
    KubeadmFormats.tokens(in: line).map { Secret($0, label: KubeadmFormats.tokenLabel) }
      + KubeadmFormats.certificateKeys(in: line).map {
        Secret($0, label: KubeadmFormats.certificateKeyLabel)
      }
  }
}

/// Says what to do when a `kubeadm` command fails in a way `KubeadmFailureHints` knows
/// (expired certificates, an unknown token, a CA-hash mismatch, a host that already ran
/// kubeadm, …): the run's error then ends with `fix: …`, the command or playbook to run.
public struct KubeadmFailureExplainer: CommandFailureExplainer {
  /// Makes the explainer.
  public init() {}

  /// Whether the command runs `kubeadm` (the same test as the secret scanner's).
  public func applies(to command: CommandValue) -> Bool {
    KubeadmSecretScanner().applies(to: command)
  }

  /// `fix: ` and the hint for the failure in the command's stderr (then stdout).
  public func explain(_ result: CommandResult) -> String? {
    KubeadmFailureHints.explain(result.stderr + "\n" + result.stdout).map { "fix: " + $0 }
  }
}
