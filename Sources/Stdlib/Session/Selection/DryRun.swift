import Foundation
import Interpreter

import struct Interpreter.Host

/// `haflow run --dry-run`: an executor that runs nothing and connects to nothing. Each
/// command and transfer is reported as the run would report it (so the progress lines are the
/// plan, host by host), and returns a stand-in: exit status 0, and for output the placeholder
/// `<from step "init">` — naming the step whose remote output the value would come from.
/// A playbook that parses such a value may stop the plan there; the CLI says so.
public struct DryRunExecutor: CommandExecutor, HostFiles {
  /// Where the current step is read from.
  let log: RunEventLog

  /// Makes one; `log` is the run's event log (for the step names).
  public init(log: RunEventLog) { self.log = log }

  /// The stand-in for remote output in the current step.
  public var placeholder: String {
    log.currentStep.map { "<from step \"\($0)\">" } ?? "<from the run>"
  }

  /// Reports nothing ran; the result is a placeholder.
  public func run(_ request: CommandRequest, sink: any OutputSink) throws -> CommandResult {
    CommandResult(
      host: request.host?.name ?? "local", command: request.command.displayText,
      stdout: placeholder, stderr: "", exitStatus: 0, duration: 0)
  }

  /// A stand-in result for a file that would be written.
  private func result(_ path: String, bytes: Int64, options: TransferOptions) -> TransferResult {
    TransferResult(
      path: path, bytes: bytes, sha256: "", mode: options.mode ?? 0o644, method: "dry-run",
      duration: 0, changed: true)
  }

  /// Would upload `local` (its size read here).
  public func upload(_ local: String, to remote: String, on host: Host, options: TransferOptions)
    throws -> TransferResult
  {
    let size = (try? FileManager.default.attributesOfItem(atPath: local)[.size] as? Int) ?? 0
    return result(remote, bytes: Int64(size), options: options)
  }

  /// Would download `remote`; nothing is written here.
  public func download(
    _ remote: String, from host: Host, to local: String, options: TransferOptions
  ) throws -> TransferResult {
    result(local, bytes: 0, options: options)
  }

  /// Would write `contents`.
  public func writeFile(
    _ path: String, contents: [UInt8], on host: Host, options: TransferOptions
  ) throws -> TransferResult {
    result(path, bytes: Int64(contents.count), options: options)
  }

  /// Would read `path`: its content is a placeholder.
  public func readFile(_ path: String, on host: Host, options: TransferOptions) throws -> Data {
    Data(placeholder.utf8)
  }
}

/// The prober of a dry run: nothing is probed, every port is reported open, so that a
/// playbook's checks of its probes let the plan go on.
public struct DryRunProber: PortProber {
  /// Makes one.
  public init() {}
  /// Reports `open` at once.
  public func probe(host: String, port: Int, timeout: Int64, cancellation: Cancellation)
    -> PortProbeReport
  {
    PortProbeReport(
      status: .open, latency: 0, host: host, port: port, address: "\(host):\(port)",
      message: "not probed: --dry-run")
  }
}
