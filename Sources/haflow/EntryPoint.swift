import ArgumentParser

extension Haflow {
  /// Parses the command line, runs the command and exits.
  ///
  /// Called as `kubeadm` (a symlink), the executable is the lab's kubeadm stand-in instead;
  /// called as `kubelet`, `kube-controller-manager` or `kube-scheduler`, that lab component.
  ///
  /// This replaces `ParsableCommand.main()` only to change one exit code: ArgumentParser exits
  /// with 64 (`EX_USAGE`) for parse and validation errors, haflow with 2. Everything else
  /// (help and `--version` with 0, the `ExitCode` a subcommand throws) goes through
  /// `exit(withError:)` unchanged.
  static func main() {
    if KubeadmEntry.isInvoked() { KubeadmEntry.main() }
    if let component = LabComponentEntry.invoked() { LabComponentEntry.main(component) }
    if let name = LabStandInEntry.invokedName() { LabStandInEntry.main(name) }
    do {
      var command = try parseAsRoot(
        RunResume.normalized(DryRunMode.normalized(Array(CommandLine.arguments.dropFirst()))))
      try command.run()
    } catch {
      if exitCode(for: error) == .validationFailure {
        var message = fullMessage(for: error)
        if message.hasPrefix("Error: ") { message = "haflow: error: " + message.dropFirst(7) }
        Console.err(message + "\n")
        Self.exit(withError: ExitCode(ExitStatus.usage))
      }
      Self.exit(withError: error)
    }
  }
}

/// haflow's exit statuses.
enum ExitStatus {
  /// Success (warnings allowed).
  static let ok: Int32 = 0
  /// The run failed: a step, a command or `fail()` stopped it.
  static let failed: Int32 = 1
  /// Bad flags, an unreadable file, a missing or ill-typed param.
  static let usage: Int32 = 2
  /// `exec`: a host could not be reached and no command failed.
  static let unreachable: Int32 = 3
  /// `run`: a host is locked by another run (docs/run.md#the-run-lock).
  static let locked: Int32 = 4
  /// Syntax or check errors; nothing ran (`EX_DATAERR`).
  static let invalidProgram: Int32 = 65
}
