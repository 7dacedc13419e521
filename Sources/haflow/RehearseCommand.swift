import ArgumentParser
import Foundation
import Interpreter
import Inventory
import Lab
import Session
import Synchronization

/// `haflow rehearse PLAYBOOK [-p name=value]… [--topology T] [--keep]`: a lab that fits the
/// playbook, the run, what the hosts ended with, the lab taken down.
struct RehearseCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "rehearse",
    abstract: "Run a playbook on a throwaway cluster lab and show what each host ended with.",
    discussion: HelpText.rehearse)

  /// The playbook.
  @ArgumentParser.Argument(help: "The playbook to rehearse (a .hf file).")
  var file: String

  /// `-p`, `--params`.
  @OptionGroup(title: "Params")
  var paramOptions: ParamOptions

  /// `--topology NAME`.
  @Option(
    help: ArgumentHelp(
      "stacked (lb, cp1-3, w1-3) or external (also etcd1-3). Default: external when the playbook names the etcd group, else stacked.",
      valueName: "name"))
  var topology: String?

  /// `--control-planes N`.
  @Option(help: ArgumentHelp("Control-plane hosts (default 3).", valueName: "n"))
  var controlPlanes: Int?

  /// `--workers N`.
  @Option(help: ArgumentHelp("Workers (default 3).", valueName: "n"))
  var workers: Int?

  /// `--etcd N`.
  @Option(
    help: ArgumentHelp(
      "External etcd hosts (default 0 stacked, 3 external).", valueName: "n"))
  var etcd: Int?

  /// `--first-address ADDRESS`.
  @Option(
    help: ArgumentHelp(
      "The first lab host's address (lb); the others follow. Default: $HAFLOW_REHEARSE_ADDRESS, else 127.0.0.2.",
      valueName: "address"))
  var firstAddress: String?

  /// `--keep`.
  @Flag(help: "Leave the lab running afterwards (haflow lab status|down reach it).")
  var keep = false

  /// `--quiet`.
  @Flag(name: .shortAndLong, help: "Hide command output and logs; keep step lines and errors.")
  var quiet = false

  /// `--log-format`, `--log`, `--color`, `-v`.
  @OptionGroup(title: "Output")
  var output: RunOutputOptions

  @OptionGroup var location: LabLocation

  /// The variable that gives the first address when `--first-address` does not.
  static let addressVariable = "HAFLOW_REHEARSE_ADDRESS"

  /// Rejects a shape that cannot be.
  func validate() throws {
    do {
      _ = try RehearsalPlan.shape(
        topology: topology, usesEtcdGroup: false, controlPlanes: controlPlanes,
        workers: workers, etcd: etcd)
    } catch let error as LabError {
      throw ValidationError(error.message + (error.hint.map { " (\($0))" } ?? ""))
    }
  }

  /// Brings the lab up, runs, reports, takes the lab down; exits with the run's status.
  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let style = output.style(environment: environment)
    let report = OutcomeReport(style: style)
    let lab = location.lab
    let inputs = try paramOptions.inputs(report: report)
    try refuseRunningLab(lab, report: report)
    let (shape, outline) = try chooseShape(report: report)
    let address = firstAddress ?? environment[Self.addressVariable] ?? "127.0.0.2"
    let endpoint = "\(address):\(LabShape.apiServerPort)"
    var values = inputs
    let labParams = RehearsalPlan.params(
      declared: outline.params.map {
        .init(name: $0.name, constantDefault: $0.constantText)
      }, given: Set(inputs.keys), endpoint: endpoint)
    for param in labParams {
      if let value = param.value { values[param.name] = .text(value) }
    }

    // A lab directory this rehearsal makes goes with its lab: nothing is left behind. One
    // that was there (a lab that is down) is left as `lab down` leaves it.
    let teardown = LabTeardown(
      lab: lab, keep: keep,
      purge: !FileManager.default.fileExists(atPath: lab.files.directory))
    let cancellation = Cancellation()
    let running = RunningCommands()
    Interrupts.install(
      cancellation: cancellation, stop: { running.stop() }, leaving: { teardown.run() })
    Console.err("haflow rehearse: lab up (\(shape.summary)) in \(lab.files.directory)\n")
    let up: LabUpReport
    do {
      up = try lab.up(LabOptions(shape: shape, firstAddress: address)) { _ in }
    } catch let error as LabError {
      LabLocation.report(error)
      teardown.run()
      throw ExitCode(ExitStatus.failed)
    }
    Console.err(
      "haflow rehearse: lab up in \(Self.seconds(up.elapsed)), \(up.state.hosts.count) hosts\n")
    if let status = Interrupts.interruptedStatus {
      teardown.run()
      throw ExitCode(status)
    }
    for param in labParams {
      Console.err(
        "haflow rehearse: param \(param.name)"
          + (param.value.map { " = \($0)" } ?? "") + " (\(param.note))\n")
    }

    var status: Int32
    do {
      status = try runPlaybook(
        lab: lab, inputs: values, environment: environment, style: style, report: report,
        cancellation: cancellation, running: running)
    } catch let exit as ExitCode {
      status = exit.rawValue
    } catch {
      status = ExitStatus.failed
    }
    if Interrupts.interruptedStatus == nil, let state = try? lab.state() {
      Console.err(style.bold("what the hosts ended with") + "\n")
      for line in LabClusterReport.gather(lab, state: state).lines {
        Console.err("  " + line + "\n")
      }
    }
    teardown.run()
    guard status == ExitStatus.ok else { throw ExitCode(status) }
  }

  /// Refuses to take over a lab that is already up where this one would live.
  private func refuseRunningLab(_ lab: Lab, report: OutcomeReport) throws {
    let hosts = (try? lab.status()) ?? nil
    guard let hosts, hosts.contains(where: { $0.running || $0.stoppedOnPurpose }) else { return }
    report.usageError("a lab is already up in \(lab.files.directory)")
    Console.err(
      "hint: take it down with haflow lab down, or rehearse beside it with HAFLOW_LAB_DIR=DIR"
        + " and --first-address\n")
    throw ExitCode(ExitStatus.failed)
  }

  /// The shape: the flags, else external when the playbook names the `etcd` group. A
  /// playbook that does not check, or names hosts or groups the lab will not have, stops
  /// here, before any lab starts (exit 65 or 2).
  private func chooseShape(report: OutcomeReport) throws -> (LabShape, PlaybookOutline) {
    let driver = Driver(sink: DiscardingSink())
    var outline: PlaybookOutline?
    let fit = try RehearsalPlan.fit(
      topology: topology, controlPlanes: controlPlanes, workers: workers, etcd: etcd
    ) { hosts in
      let checked = driver.outline(path: file, hosts: hosts)
      guard checked.outcome.exitCode == ExitStatus.ok else {
        report.write(checked.outcome, isRun: true)
        throw ExitCode(checked.outcome.exitCode)
      }
      outline = checked
      return checked.missingNames
    }
    guard fit.missing.isEmpty, let outline else {
      let names = fit.missing.map { "'\($0)'" }.joined(separator: ", ")
      report.usageError(
        "the playbook names \(names), which the rehearsal lab (\(fit.shape.summary)) does not have"
      )
      Console.err(
        "hint: the lab's groups are lab, load_balancer, control_plane, workers, etcd; its hosts "
          + fit.shape.names.joined(separator: ", ") + "\n")
      throw ExitCode(ExitStatus.invalidProgram)
    }
    return (fit.shape, outline)
  }

  /// Runs the playbook with the lab's inventory; its exit status.
  private func runPlaybook(
    lab: Lab, inputs: [String: ParamInput], environment: [String: String],
    style: TerminalStyle, report: OutcomeReport, cancellation: Cancellation,
    running: RunningCommands
  ) throws -> Int32 {
    let setup: RemoteSetup
    // The lab's inventory says everything; an ssh config of this machine's user stays out:
    // an empty one is read instead (`/dev/null` cannot be: it has no contents to read).
    let emptyConfig = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-rehearse-ssh-config-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: emptyConfig) }
    guard FileManager.default.createFile(atPath: emptyConfig, contents: Data()) else {
      LabLocation.report(LabError("cannot write an empty ssh config at \(emptyConfig)"))
      return ExitStatus.failed
    }
    do {
      setup = try RemoteSetup.load(
        inventoryPath: lab.files.inventoryINI, sshConfigPath: emptyConfig, defaultUser: nil,
        jump: nil, environment: environment)
    } catch let error as InventoryError {
      throw report.inventoryFailure(error, warnings: [])
    }
    return try PlaybookRun(
      file: file, inputs: inputs, setup: setup, quiet: quiet, output: output,
      environment: environment, style: style, report: report
    ).run(
      filter: nil, plan: nil, runs: RunsDirectory(environment: environment),
      cancellation: cancellation, running: running)
  }

  /// `2.31s`.
  static func seconds(_ duration: Duration) -> String {
    String(format: "%.2fs", Double(duration / .milliseconds(1)) / 1000)
  }
}

/// Takes a rehearsal's lab down once — after the run, on an error, or from the signal
/// handler when haflow leaves without unwinding — or, with `--keep`, says where it is.
final class LabTeardown: Sendable {
  private let lab: Lab
  private let keep: Bool
  private let purge: Bool
  private let done = Mutex(false)

  /// `purge`: remove the lab directory once every process is gone (the rehearsal made it).
  init(lab: Lab, keep: Bool, purge: Bool) {
    self.lab = lab
    self.keep = keep
    self.purge = purge
  }

  /// Does it, the first time; later calls wait for the first to finish and do nothing.
  func run() {
    done.withLock { done in
      guard !done else { return }
      done = true
      let directory = lab.files.directory
      if keep {
        // `haflow lab` finds it by HAFLOW_LAB_DIR when that placed it.
        let prefix =
          (ProcessInfo.processInfo.environment["HAFLOW_LAB_DIR"] ?? "").isEmpty
          ? "" : "HAFLOW_LAB_DIR=\(directory) "
        Console.err(
          """
          haflow rehearse: the lab is kept in \(directory)
            \(prefix)haflow lab status
            haflow exec -i \(directory)/inventory.ini lab -- hostname
            \(prefix)haflow lab down

          """)
        return
      }
      do {
        let report = try lab.down()
        if !report.stopped.isEmpty || !report.leftover.isEmpty {
          var line = "haflow rehearse: lab down in \(RehearseCommand.seconds(report.elapsed))"
          if !report.leftover.isEmpty {
            line +=
              "; processes that would not die: "
              + report.leftover.map(String.init).joined(separator: " ")
          }
          Console.err(line + "\n")
        }
        // A process that would not die may still use the files: they stay, to be looked at.
        guard purge, report.leftover.isEmpty, FileManager.default.fileExists(atPath: directory)
        else { return }
        do {
          try FileManager.default.removeItem(atPath: directory)
        } catch {
          LabLocation.report(LabError("cannot remove \(directory): \(error)"))
        }
      } catch let error as LabError {
        LabLocation.report(error)
      } catch {
        LabLocation.report(LabError("cannot take the lab down: \(error)"))
      }
    }
  }
}
