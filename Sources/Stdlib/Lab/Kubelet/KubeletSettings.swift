import Foundation

/// The lab kubelet's command line, in the real kubelet's flag names where there is one:
/// `--hostname-override=cp1 --node-ip=127.0.0.3 [--pod-manifest-path=DIR] [--root-dir=DIR]
/// [--pod-log-dir=DIR] [--haflow-lab=VIEW]`. `--haflow-lab` names the host's lab directory
/// (as seen inside the host), so `ps` tells whose kubelet a process is.
public struct KubeletSettings: Sendable, Equatable {
  /// The node's name (pods are `<component>-<node>`).
  public var nodeName: String
  /// The node's address: where `127.0.0.1` in a manifest is moved to.
  public var nodeIP: String
  /// Where the static-pod manifests are.
  public var manifestDirectory = "/etc/kubernetes/manifests"
  /// Where the pod status file goes.
  public var rootDirectory = "/var/lib/kubelet"
  /// Where the pods' logs go.
  public var logDirectory = "/var/log/pods"
  /// The lab host's directory, for `ps`.
  public var lab = ""
  /// How often the manifests are read.
  public var pollInterval: Duration = .milliseconds(500)
  /// How long a stopped container gets between SIGTERM and SIGKILL.
  public var grace: Duration = .seconds(5)
  /// The first delay before restarting a container that ended.
  public var firstBackoff: Duration = .seconds(1)
  /// The longest delay between restarts.
  public var maxBackoff: Duration = .seconds(20)
  /// A container that ran this long before ending restarts after `firstBackoff` again.
  public var backoffReset: Duration = .seconds(10)

  /// Settings for a node.
  public init(nodeName: String, nodeIP: String) {
    self.nodeName = nodeName
    self.nodeIP = nodeIP
  }

  /// Parses the command line (without the program name).
  public static func parse(_ arguments: [String]) throws -> KubeletSettings {
    var values: [String: String] = [:]
    let known = [
      "hostname-override", "node-ip", "pod-manifest-path", "root-dir", "pod-log-dir", "haflow-lab",
    ]
    for argument in arguments {
      guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else {
        throw LabError("kubelet: expected --flag=value, not \(argument)")
      }
      let name = String(argument[argument.index(argument.startIndex, offsetBy: 2)..<equals])
      guard known.contains(name) else { throw LabError("kubelet: unknown flag: --\(name)") }
      values[name] = String(argument[argument.index(after: equals)...])
    }
    guard let node = values["hostname-override"], let address = values["node-ip"] else {
      throw LabError("kubelet: --hostname-override and --node-ip are required")
    }
    var settings = KubeletSettings(nodeName: node, nodeIP: address)
    settings.manifestDirectory = values["pod-manifest-path"] ?? settings.manifestDirectory
    settings.rootDirectory = values["root-dir"] ?? settings.rootDirectory
    settings.logDirectory = values["pod-log-dir"] ?? settings.logDirectory
    settings.lab = values["haflow-lab"] ?? ""
    return settings
  }

  /// The command line for these settings (after the program name).
  public var arguments: [String] {
    [
      "--hostname-override=\(nodeName)", "--node-ip=\(nodeIP)",
      "--pod-manifest-path=\(manifestDirectory)", "--root-dir=\(rootDirectory)",
      "--pod-log-dir=\(logDirectory)",
    ] + (lab.isEmpty ? [] : ["--haflow-lab=\(lab)"])
  }
}
