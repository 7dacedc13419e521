import Synchronization

/// Finds secrets of a known format in what a command prints, so that a value the program
/// never marked secret (a bootstrap token `kubeadm init` generated) is redacted from the
/// terminal, the logs and the events as it streams. The library declares its scanners in the
/// built-in table (`BuiltinTable.outputScanners`); the interpreter knows no format.
public protocol OutputSecretScanner: Sendable {
  /// Whether the output of `command` is read (matched on its shown text, secrets redacted).
  func applies(to command: CommandValue) -> Bool
  /// The secrets in one line of that output (or in the command's own text).
  func secrets(in line: String) -> [Secret]
}

/// A sink that passes a command's events on after registering, in the run's registry, every
/// secret its scanners find in the command line and the output lines: the registry's redaction
/// downstream then hides them from that very line on. Output arrives as whole lines, so a value
/// is never split between two events. Used by every command of a run and by `haflow exec`.
public final class ScanningSink: OutputSink {
  private let base: any OutputSink
  private let registry: SecretRegistry
  private let scanners: [any OutputSecretScanner]
  private let foundValues = Mutex<Set<String>>([])

  /// Scans for `scanners`' formats, registering what it finds in `registry`, then passes
  /// each event to `base` (which should redact `registry`'s secrets).
  public init(
    base: any OutputSink, registry: SecretRegistry, scanners: [any OutputSecretScanner]
  ) {
    self.base = base
    self.registry = registry
    self.scanners = scanners
  }

  /// The values found so far.
  public var found: Set<String> { foundValues.withLock { $0 } }

  /// Registers what `text` holds.
  public func scan(_ text: String) {
    for scanner in scanners {
      for secret in scanner.secrets(in: text) {
        registry.register(secret)
        foundValues.withLock { _ = $0.insert(secret.value) }
      }
    }
  }

  /// Scans the event's command line or output line, then passes it on.
  public func emit(_ event: OutputEvent) {
    switch event {
    case .commandOutput(_, let line, _): scan(line)
    case .commandStarted(_, let command): scan(command)
    default: break
    }
    base.emit(event)
  }
}
