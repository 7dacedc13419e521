import ArgumentParser
import Foundation
import Lab

/// `haflow lab up|status|down`: test hosts on this machine.
struct LabCommand: ParsableCommand {
  /// Names, help and subcommands.
  static let configuration = CommandConfiguration(
    commandName: "lab",
    abstract: "Start and stop test hosts: real OpenSSH servers on 127.0.0.2, .3, …",
    discussion: """
      `lab up` starts OpenSSH servers on this machine (port 22 on 127.0.0.2, 127.0.0.3, … \
      as root; free high ports otherwise), each with its own host key, and writes a client \
      key, a known_hosts file and two inventories for them: inventory.ini (Ansible INI) and \
      inventory.hf. The inventories name the key and the known_hosts file, so a playbook runs \
      on the lab with no other flag. The servers keep running after `lab up` returns; \
      `lab down` stops them.

      As root each host is a separate machine as far as a playbook can tell: its own \
      hostname and its own /etc/kubernetes, /var/lib/etcd, /var/lib/kubelet, /root, /home, \
      /tmp and /usr/local/bin (mount and UTS namespaces), root login and an ubuntu user with \
      passwordless sudo. `lab up --topology stacked|external` makes the kubeadm HA shape: \
      lb (Debian's haproxy on :6443), cp1-cp3, w1-w3, and etcd1-etcd3 for external etcd. \
      Every host of a cluster lab has kubeadm (haflow's stand-in) on its PATH and runs a \
      lab kubelet that starts the static pods kubeadm writes as processes: etcd is Debian's \
      real etcd, the API server haflow's stand-in. The lab simulates machines and kubeadm, \
      not Kubernetes.

      The lab lives in .haflow/lab under the current directory; HAFLOW_LAB_DIR moves it. \
      Groups of a plain lab: lab (every host), control_plane (node1; node1-node3 with 5 \
      hosts or more) and workers (the rest); of a cluster lab: lab, load_balancer, \
      control_plane, workers, etcd. See docs/lab.md.

      EXAMPLES:
        haflow lab up --hosts 5
        haflow run -i .haflow/lab/inventory.ini site.hf
        haflow exec -i .haflow/lab/inventory.ini lab -- uname -n
        sudo haflow lab up --topology stacked
        haflow lab stop cp2 && haflow lab start cp2
        haflow lab advance 3h
        haflow lab status
        haflow lab down
      """,
    subcommands: [
      LabUpCommand.self, LabStatusCommand.self, LabDownCommand.self, LabStopCommand.self,
      LabStartCommand.self, LabAdvanceCommand.self,
    ])
}

/// Where the lab is, for every `lab` subcommand.
struct LabLocation: ParsableArguments {
  /// The lab of `$HAFLOW_LAB_DIR`, else `.haflow/lab` here.
  var lab: Lab {
    Lab(
      directory: LabFiles.defaultDirectory(
        environment: ProcessInfo.processInfo.environment,
        currentDirectory: FileManager.default.currentDirectoryPath))
  }

  /// Prints a lab error (and its hint) on standard error.
  static func report(_ error: LabError) {
    let style = TerminalStyle.forStandardError(environment: ProcessInfo.processInfo.environment)
    OutcomeReport(style: style).usageError(error.message)
    if let hint = error.hint { Console.err("hint: \(hint)\n") }
  }
}
