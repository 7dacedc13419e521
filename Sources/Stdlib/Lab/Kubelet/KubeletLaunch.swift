import Foundation

/// How the lab kubelet runs a static pod's container, chosen by the image's name: etcd is
/// Debian's real `etcd`; the API server is the haflow binary called `kube-apiserver`; the
/// controller manager and scheduler are the haflow binary idling under their names, so they
/// show as running. Any other image cannot run here.
public enum KubeletLauncher: Sendable, Equatable {
  /// A program of this machine (`/usr/bin/etcd`).
  case program(String)
  /// The haflow binary, called by the component's name.
  case haflow
  /// The haflow binary idling under the component's name until it is stopped.
  case idle

  /// Debian's etcd (package `etcd-server`).
  public static let etcd = "/usr/bin/etcd"

  /// The table: image name → launcher.
  public static let table: [String: KubeletLauncher] = [
    "etcd": .program(etcd), "kube-apiserver": .haflow, "kube-controller-manager": .idle,
    "kube-scheduler": .idle,
  ]

  /// The launcher for `manifest`, or why it cannot run.
  public static func launcher(for manifest: StaticPodManifest) -> Result<KubeletLauncher, LabError>
  {
    if let launcher = table[manifest.imageName] { return .success(launcher) }
    let known = table.keys.sorted().joined(separator: ", ")
    return .failure(
      LabError(
        "the lab cannot run image \"\(manifest.image)\" (container \(manifest.container)): "
          + "its kubelet runs only \(known)"))
  }

  /// Whether readiness is the manifest's probe (false: running is ready, as for the idle
  /// stand-ins, which serve no health endpoint).
  public var probes: Bool { self != .idle }

  /// The program to start and its arguments (the first is the name `ps` shows): the
  /// manifest's command with `127.0.0.1` moved to the node's address, the file it runs being
  /// `haflow` for the haflow components.
  public func command(for manifest: StaticPodManifest, address: String, haflow: String) -> (
    path: String, arguments: [String]
  ) {
    let arguments = KubeletAddresses.rewrite(Array(manifest.command.dropFirst()), to: address)
    switch self {
    case .program(let path):
      return (path, [(path as NSString).lastPathComponent] + arguments)
    case .haflow, .idle:
      return (haflow, [manifest.imageName] + arguments)
    }
  }
}

/// The one deviation the kubelet makes from a manifest: lab hosts share one network namespace,
/// so `127.0.0.1` in a flag (etcd's `--listen-client-urls=https://127.0.0.1:2379,…`, the API
/// server's `--etcd-servers=https://127.0.0.1:2379`) would be the same socket on every host.
/// The kubelet moves it to the host's own address when it starts the process; the manifest
/// stays as kubeadm wrote it. A list that then names one URL twice keeps it once (etcd refuses
/// to listen twice on one address).
public enum KubeletAddresses {
  /// `arguments` with every `127.0.0.1` (not `127.0.0.10`) replaced by `address`, and
  /// comma-separated values without repeats.
  public static func rewrite(_ arguments: [String], to address: String) -> [String] {
    arguments.map { argument in
      let replaced = replaceLoopback(in: argument, with: address)
      guard replaced != argument, replaced.contains(","),
        let equals = replaced.firstIndex(of: "=")
      else { return replaced }
      var seen: Set<Substring> = []
      let items = replaced[replaced.index(after: equals)...].split(separator: ",")
        .filter { seen.insert($0).inserted }
      return String(replaced[...equals]) + items.joined(separator: ",")
    }
  }

  /// `text` with `127.0.0.1` as a whole address replaced.
  static func replaceLoopback(in text: String, with address: String) -> String {
    let loopback = Array("127.0.0.1")
    let characters = Array(text)
    var result = ""
    var index = 0
    while index < characters.count {
      let end = index + loopback.count
      if end <= characters.count, Array(characters[index..<end]) == loopback,
        index == 0 || !isAddressCharacter(characters[index - 1]),
        end == characters.count || !characters[end].isNumber
      {
        result += address
        index = end
      } else {
        result.append(characters[index])
        index += 1
      }
    }
    return result
  }

  private static func isAddressCharacter(_ character: Character) -> Bool {
    character.isNumber || character == "."
  }
}
