/// Knows what a tool's failures mean: when a command it applies to exits non-zero, the run's
/// error carries its explanation (what to do: the command, or the playbook to run), so an
/// operator reads the fix next to kubeadm's own message. The library declares explainers in
/// the built-in table (`BuiltinTable.failureExplainers`); the interpreter knows no tool.
public protocol CommandFailureExplainer: Sendable {
  /// Whether failures of `command` are read (matched on its shown text, secrets redacted).
  func applies(to command: CommandValue) -> Bool
  /// What to do about the failure `result` shows (its stdout and stderr, redacted), or nil
  /// when it is not one the explainer knows.
  func explain(_ result: CommandResult) -> String?
}
