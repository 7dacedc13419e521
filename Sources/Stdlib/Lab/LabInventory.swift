import Foundation

/// The lab's inventories: `inventory.ini` (Ansible INI) and `inventory.hf` (haflow syntax),
/// with the same hosts and groups.
///
/// Groups of a plain lab: `lab` holds every host; `control_plane` is node1–node3 when the lab
/// has 5 hosts or more, else node1; `workers` holds the rest (no such group when there is
/// none). A cluster lab has `lab`, `load_balancer`, `control_plane`, `workers` and `etcd` (the
/// etcd hosts, or the control planes when etcd is stacked) and the variable
/// `control_plane_endpoint`, lb's address:6443, for every host. Both files
/// name the client key and, as `haflow_known_hosts`, the lab's known_hosts file, so
/// `haflow run -i inventory.ini` needs no other flag; the INI also sets
/// `ansible_ssh_common_args` so that `ansible` checks the same file.
enum LabInventory {
  /// The hosts of each group, in order (`lab`, `control_plane`, `workers`).
  static func groups(_ names: [String]) -> [(String, [String])] {
    let planes = names.count >= 5 ? 3 : 1
    var groups = [("lab", names), ("control_plane", Array(names.prefix(planes)))]
    let workers = Array(names.dropFirst(planes))
    if !workers.isEmpty { groups.append(("workers", workers)) }
    return groups
  }

  /// The groups of `state`'s lab.
  static func groups(_ state: LabState) -> [(String, [String])] {
    state.shape?.groups ?? groups(state.hosts.map(\.name))
  }

  /// The variables every host gets besides its connection: the cluster lab's endpoint.
  static func vars(_ state: LabState) -> [(String, String)] {
    guard state.shape != nil, let lb = state.host(named: LabShape.loadBalancer) else {
      return []
    }
    return [("control_plane_endpoint", "\(lb.address):\(LabShape.apiServerPort)")]
  }

  /// `inventory.ini`.
  static func ini(_ state: LabState, _ files: LabFiles) -> String {
    var text = header(state, comment: "#")
    text += "[lab]\n"
    for host in state.hosts {
      text +=
        "\(host.name) ansible_host=\(host.address) ansible_port=\(host.port) "
        + "ansible_user=\(state.user) ansible_ssh_private_key_file=\(iniValue(files.clientKey))\n"
    }
    text += "\n[lab:vars]\n"
    text += "haflow_known_hosts=\(iniValue(files.knownHosts))\n"
    let sshArgs =
      "-o UserKnownHostsFile=\(files.knownHosts) -o StrictHostKeyChecking=yes "
      + "-o IdentitiesOnly=yes"
    text += "ansible_ssh_common_args='\(sshArgs)'\n"
    for (key, value) in vars(state) { text += "\(key)=\(iniValue(value))\n" }
    for (group, members) in groups(state).dropFirst() {
      text += "\n[\(group)]\n" + members.map { $0 + "\n" }.joined()
    }
    return text
  }

  /// `inventory.hf`.
  static func haflow(_ state: LabState, _ files: LabFiles) -> String {
    let groups = groups(state)
    var text = header(state, comment: "#")
    for host in state.hosts {
      let memberOf = groups.filter { $0.1.contains(host.name) }.map(\.0)
      text +=
        "host \(host.name) address=\(host.address) port=\(host.port) "
        + "groups=\(memberOf.joined(separator: ","))\n"
    }
    text +=
      "group lab user=\(state.user) identity_file=\(hfQuoted(files.clientKey)) "
      + "haflow_known_hosts=\(hfQuoted(files.knownHosts))"
      + vars(state).map { " \($0.0)=\(hfQuoted($0.1))" }.joined() + "\n"
    // A group with no host (no workers) is still declared, as the INI file declares it.
    for (group, members) in groups where members.isEmpty { text += "group \(group)\n" }
    return text
  }

  private static func header(_ state: LabState, comment: String) -> String {
    let groupText = groups(state).map { group, members in
      "\(group) (\(members.isEmpty ? "none" : members.joined(separator: ", ")))"
    }
    let what = state.shape.map { " (\($0.topology) cluster)" } ?? ""
    return """
      \(comment) haflow lab\(what): \(state.hosts.count) OpenSSH servers on this machine, written by `haflow lab up`.
      \(comment) Stop them with `haflow lab down`. Groups: \(groupText.joined(separator: ", ")).


      """
  }

  /// A value for an INI line: quoted when it holds a space.
  private static func iniValue(_ text: String) -> String {
    text.contains(" ") ? "\"\(text)\"" : text
  }

  /// A haflow inventory string literal.
  private static func hfQuoted(_ text: String) -> String {
    "\""
      + text.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }
}
