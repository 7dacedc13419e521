import Foundation

/// The lab's inventories: `inventory.ini` (Ansible INI) and `inventory.hf` (haflow syntax),
/// with the same hosts and groups.
///
/// Groups: `lab` holds every host; `control_plane` is node1–node3 when the lab has 5 hosts or
/// more, else node1; `workers` holds the rest (no such group when there is none). Both files
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

  /// `inventory.ini`.
  static func ini(_ state: LabState, _ files: LabFiles) -> String {
    let names = state.hosts.map(\.name)
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
    for (group, members) in groups(names).dropFirst() {
      text += "\n[\(group)]\n" + members.map { $0 + "\n" }.joined()
    }
    return text
  }

  /// `inventory.hf`.
  static func haflow(_ state: LabState, _ files: LabFiles) -> String {
    let groups = groups(state.hosts.map(\.name))
    var text = header(state, comment: "#")
    for host in state.hosts {
      let memberOf = groups.filter { $0.1.contains(host.name) }.map(\.0)
      text +=
        "host \(host.name) address=\(host.address) port=\(host.port) "
        + "groups=\(memberOf.joined(separator: ","))\n"
    }
    text +=
      "group lab user=\(state.user) identity_file=\(hfQuoted(files.clientKey)) "
      + "haflow_known_hosts=\(hfQuoted(files.knownHosts))\n"
    return text
  }

  private static func header(_ state: LabState, comment: String) -> String {
    let groupText = groups(state.hosts.map(\.name)).map { group, members in
      "\(group) (\(members.joined(separator: ", ")))"
    }
    return """
      \(comment) haflow lab: \(state.hosts.count) OpenSSH servers on this machine, written by `haflow lab up`.
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
