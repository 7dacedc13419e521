import ArgumentParser
import Foundation
import Lab

/// `haflow lab up [--hosts N | --topology T …] [--user NAME]`.
struct LabUpCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "up",
    abstract: "Start the lab's hosts (and haproxy for a cluster) and write its inventories.",
    discussion: """
      A plain lab is N hosts node1…nodeN. A cluster lab (--topology, or any of \
      --control-planes, --workers, --etcd) is lb, cp1…, w1… and etcd1…, in that address \
      order, with Debian's haproxy on lb's address:6443 in front of every control plane's \
      address:6443. Its inventories have the groups load_balancer, control_plane, workers \
      and etcd (the last two even when empty) and the variable control_plane_endpoint \
      (lb's address:6443). stacked is lb, cp1-cp3, w1-w3; external adds etcd1-etcd3; the \
      count flags change either (even counts are allowed, to rehearse a quorum warning).

      As root, every host runs in its own mount and UTS namespace: its hostname is its \
      name, and /etc/kubernetes, /var/lib/etcd, /var/lib/kubelet, /root, /home, /tmp, \
      /usr/local/bin and /etc/sudoers.d are its own, so a file written on cp1 is not on \
      cp2. Each host has root login and an ubuntu user with passwordless sudo. A cluster \
      lab needs root; a plain lab without root (or with --shared) runs as before isolation, \
      its hosts sharing this machine's files and hostname. Every host of a cluster lab runs \
      a kubelet (log: hosts/NAME/kubelet.log) that runs /etc/kubernetes/manifests as \
      processes, etcd with Debian's etcd (apt-get install etcd-server etcd-client).

      Progress goes to standard error; the last line on standard output is the path of \
      inventory.ini, so a script can write: inventory=$(haflow lab up --topology stacked). \
      When the lab is already up, nothing is started twice: hosts that died or were \
      stopped with `lab stop` are restarted (their files kept) and the path is printed \
      again. A new lab starts with empty host directories and the cluster clock at 0. \
      Host keys are kept across `lab down` and `lab up`, so known_hosts entries stay valid.

      EXAMPLES:
        haflow lab up
        haflow lab up --hosts 8
        sudo haflow lab up --topology stacked
        sudo haflow lab up --topology external
        sudo haflow lab up --control-planes 2 --workers 1  # an even control plane
        sudo haflow lab up --hosts 6 --user bench   # log in as a plain-sh user
        HAFLOW_LAB_DIR=/tmp/lab2 haflow lab up --first-address 127.0.0.40

      EXIT CODES:
        0   every host is up
        1   a host could not be started (its log is quoted), or isolation needs root
        2   usage error
      """)

  /// `--hosts N`.
  @Option(help: ArgumentHelp("How many hosts of a plain lab (1-1000; default 3).", valueName: "n"))
  var hosts: Int?

  /// `--topology NAME`.
  @Option(
    help: ArgumentHelp(
      "A cluster lab: stacked (lb, cp1-3, w1-3) or external (also etcd1-3).",
      valueName: "name"))
  var topology: String?

  /// `--control-planes N`.
  @Option(
    help: ArgumentHelp(
      "Control-plane hosts of a cluster lab (default 3).", valueName: "n"))
  var controlPlanes: Int?

  /// `--workers N`.
  @Option(help: ArgumentHelp("Workers of a cluster lab (default 3).", valueName: "n"))
  var workers: Int?

  /// `--etcd N`.
  @Option(
    help: ArgumentHelp(
      "External etcd hosts of a cluster lab (default 0 stacked, 3 external).",
      valueName: "n"))
  var etcd: Int?

  /// `--user NAME`.
  @Option(
    help: ArgumentHelp(
      "Log in as this user (root only; created with useradd -M -s /bin/sh when missing). Default: root as root, else you.",
      valueName: "name"))
  var user: String?

  /// `--first-address ADDRESS`.
  @Option(
    help: ArgumentHelp(
      "The first host's address; the others follow (for a second lab beside the first).",
      valueName: "address"))
  var firstAddress = "127.0.0.2"

  /// `--free-ports`.
  @Flag(help: "Listen on free high ports even as root (default as root: port 22).")
  var freePorts = false

  /// `--shared`.
  @Flag(
    help: "A plain lab whose hosts share this machine's files and hostname (no namespaces).")
  var shared = false

  @OptionGroup var location: LabLocation

  /// Whether a cluster shape was asked for.
  private var isCluster: Bool {
    topology != nil || controlPlanes != nil || workers != nil || etcd != nil
  }

  /// Rejects counts out of range and a plain lab's flags mixed with a cluster's.
  func validate() throws {
    if let hosts, !(1...LabOptions.maxHosts).contains(hosts) {
      throw ValidationError("--hosts must be 1-\(LabOptions.maxHosts)")
    }
    if isCluster {
      guard hosts == nil else {
        throw ValidationError(
          "--hosts is for a plain lab; a cluster lab counts --control-planes, --workers, --etcd")
      }
      guard !shared else {
        throw ValidationError("--shared is for a plain lab: a cluster lab's hosts are isolated")
      }
      do {
        _ = try shape()
      } catch let error as LabError {
        throw ValidationError(error.message + (error.hint.map { " (\($0))" } ?? ""))
      }
    }
  }

  /// The cluster shape asked for, or nil for a plain lab.
  private func shape() throws -> LabShape? {
    guard isCluster else { return nil }
    return try LabShape.named(
      topology, controlPlanes: controlPlanes, workers: workers, etcd: etcd)
  }

  /// Starts the lab and prints how to use it.
  func run() throws {
    let lab = location.lab
    Console.err("haflow lab: \(lab.files.directory)\n")
    let report: LabUpReport
    do {
      let options = LabOptions(
        hosts: hosts ?? 3, shape: try shape(), user: user, firstAddress: firstAddress,
        freePorts: freePorts, shared: shared)
      report = try lab.up(options) { Console.err("  \($0)\n") }
    } catch let error as LabError {
      LabLocation.report(error)
      throw ExitCode(ExitStatus.failed)
    }
    let files = lab.files
    let state = report.state
    let count = state.hosts.count
    if report.started.isEmpty {
      Console.err("the lab is already up: \(count) hosts, user \(state.user)\n")
    } else {
      let seconds = Double(report.elapsed / .milliseconds(1)) / 1000
      Console.err(
        "started \(report.started.count) of \(count) hosts in "
          + String(format: "%.2fs", seconds) + ", user \(state.user)"
          + (state.isolated ? ", isolated" : "") + "\n")
    }
    if let shape = state.shape, let lb = state.hosts.first {
      Console.err(
        "\(shape.summary); control_plane_endpoint \(lb.address):\(LabShape.apiServerPort)"
          + " (haproxy on lb)\n")
    }
    let first = state.hosts[0]
    let sshPort = first.port == 22 ? "" : " -p \(first.port)"
    Console.err(
      """
      use it:
        haflow inventory -i \(files.inventoryINI)
        haflow run -i \(files.inventoryINI) PLAYBOOK.hf
        ssh -i \(files.clientKey) -o UserKnownHostsFile=\(files.knownHosts)\(sshPort) \(state.user)@\(first.address)
        haflow lab down

      """)
    Console.out(files.inventoryINI + "\n")
  }
}
