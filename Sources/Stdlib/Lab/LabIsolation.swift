import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Lab hosts that are separate machines as far as a playbook can tell: each host's sshd starts
/// in a mount and UTS namespace of its own (`unshare`), where the hostname is the host's name
/// and the directories a kubeadm node writes are bind mounts of the host's own directories
/// under `hosts/NAME/fs/`. Everything sshd forks inherits the namespaces, so every command
/// over SSH sees the host's files; the rest of this machine (`/usr`, `/etc`, …) is shared.
///
/// Inside a host, the lab directory is not visible (it may well live under `/tmp` or `/root`,
/// which the host has its own of). What sshd needs — its configuration, host key and the
/// authorized keys — is the host's own directory, bound read-only at
/// `/run/haflow-lab/<lab directory>/hosts/NAME` on a small tmpfs private to the namespace.
/// That path names the lab and the host, so `ps` tells whose sshd a process is.
///
/// When the last process of a host ends, its namespaces and mounts go with it.
enum LabIsolation {
  /// Where each host sees its own lab directory (a tmpfs mounted inside each namespace over
  /// this machine's empty directory).
  static let viewRoot = "/run/haflow-lab"
  /// util-linux's `unshare`.
  static let unshare = "/usr/bin/unshare"
  /// util-linux's `nsenter`, for components started in a running host (haproxy).
  static let nsenter = "/usr/bin/nsenter"

  /// The directories each host has its own of, and their modes.
  static let ownDirectories: [(path: String, mode: mode_t)] = [
    ("/etc/kubernetes", 0o755), ("/var/lib/etcd", 0o700), ("/var/lib/kubelet", 0o755),
    ("/root", 0o700), ("/home", 0o755), ("/tmp", 0o1777), ("/usr/local/bin", 0o755),
    ("/etc/sudoers.d", 0o755), ("/var/log/pods", 0o755),
  ]
  /// The files each host has its own of (bound only where this machine has the file).
  static let ownFiles = ["/etc/hosts", "/etc/hostname"]

  /// The sudo rule that gives `ubuntu` passwordless sudo, in each host's `/etc/sudoers.d`.
  static let sudoRule = "ubuntu ALL=(ALL) NOPASSWD:ALL\n"
  /// sudo keeps the lab's variables (the cluster clock, the manifests the lab serves), so
  /// `sudo kubeadm …` and `sudo kubectl apply -f URL` see them as the login session does.
  static let sudoEnvironment =
    "Defaults env_keep += \"HAFLOW_LAB_CLOCK_FILE HAFLOW_LAB_MANIFESTS\"\n"

  /// Why an isolated lab cannot start here, or nil. A cluster lab needs sudo for `ubuntu`
  /// (`requireSudo`); a plain lab goes without.
  static func unavailable(requireSudo: Bool) -> LabError? {
    guard LabUser.isRoot else {
      return LabError(
        "isolated lab hosts need root: each host runs in its own mount and UTS namespace, "
          + "and only root can create those",
        hint: "run haflow lab up as root (sudo), or use a plain lab: haflow lab up --hosts N")
    }
    for tool in [unshare, nsenter] where !FileManager.default.isExecutableFile(atPath: tool) {
      return LabError("no \(tool) here", hint: "install it: apt-get install util-linux")
    }
    guard !requireSudo || hasSudo else {
      return LabError(
        "no /usr/bin/sudo here: the lab's ubuntu user needs it",
        hint: "install it: apt-get install sudo")
    }
    return nil
  }

  /// Whether sudo is installed.
  static var hasSudo: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/sudo") }

  /// Creates this machine's empty mount points for the hosts' own directories when missing
  /// (`/etc/kubernetes`, `/var/lib/etcd`, `/var/lib/kubelet`, `/run/haflow-lab`). They stay:
  /// removing one would unmount it in another lab's running hosts.
  static func makeMountPoints() throws {
    for (path, mode) in ownDirectories + [(viewRoot, 0o755)]
    where !FileManager.default.fileExists(atPath: path) {
      try LabFiles.makeDirectory(path, mode: Int(mode))
    }
  }

  /// Makes a host's own directories (emptied first when `fresh`), its `/etc/hosts` naming
  /// every lab host, its `/etc/hostname`, the `ubuntu` sudo rule, and the home directories of
  /// `users` that live under `/home`.
  static func prepare(
    host: LabState.HostRecord, of state: LabState, files: LabFiles, users: [String],
    fresh: Bool
  ) throws {
    let root = files.fs(host.name)
    if fresh, FileManager.default.fileExists(atPath: root) {
      do {
        try FileManager.default.removeItem(atPath: root)
      } catch {
        throw LabError("cannot empty \(root): \(error.localizedDescription)")
      }
    }
    for (path, mode) in ownDirectories {
      try LabFiles.makeDirectory(root + path, mode: Int(mode))
      chmod(root + path, mode)
    }
    var hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
    for other in state.hosts { hosts += "\(other.address)\t\(other.name)\n" }
    try LabFiles.write(hosts, to: root + "/etc/hosts")
    try LabFiles.write(host.name + "\n", to: root + "/etc/hostname")
    try LabFiles.write(sudoRule, to: root + "/etc/sudoers.d/90-haflow-lab-ubuntu", mode: 0o440)
    try LabFiles.write(
      sudoEnvironment, to: root + "/etc/sudoers.d/91-haflow-lab-environment", mode: 0o440)
    for user in users {
      guard let entry = getpwnam(user), let dir = entry.pointee.pw_dir else { continue }
      let home = String(cString: dir)
      guard home.hasPrefix("/home/"), !home.contains("/../") else { continue }
      let path = root + home
      if !FileManager.default.fileExists(atPath: path) {
        try LabFiles.makeDirectory(path, mode: 0o750)
        chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid)
      }
    }
  }

  /// Where a host sees the haflow binary (bound over an empty file on the view's tmpfs), and
  /// the directory of its other names (`kubelet`, `kubeadm`, …, symlinks to it).
  static let haflow = viewRoot + "/haflow"
  /// The directory of symlinks to `haflow` named after the components it plays.
  static let componentBin = viewRoot + "/bin"
  /// The names the haflow binary answers to inside a host.
  static let componentNames = [
    "kubeadm", "kubelet", "kube-apiserver", "kube-controller-manager", "kube-scheduler",
    "systemctl", "kubectl",
  ]
  /// The commands each host gets in its own `/usr/local/bin`, as links to `haflow` (found
  /// before `/usr/bin`'s on the PATH): kubeadm, kubectl, and systemctl for the kubelet unit.
  static let hostCommands = ["kubeadm", "kubectl", "systemctl"]

  /// The command that starts `program` (sshd) as host `name`: new namespaces, the hostname,
  /// the host's view of its lab directory, the haflow binary `executable` (when given, bound
  /// where the host sees it whatever directories it replaces), its own directories, then
  /// `exec program`.
  static func command(
    host name: String, files: LabFiles, executable: String?, program: [String]
  ) -> [String] {
    [
      unshare, "--mount", "--uts", "--propagation", "private", "--", "/bin/sh", "-c",
      bootScript, "haflow-lab-host", name, files.host(name), files.view(name), executable ?? "",
    ] + program
  }

  /// The command that starts `program` inside the running host whose sshd is `pid`.
  static func enter(pid: Int32, program: [String]) -> [String] {
    [nsenter, "--target", String(pid), "--mount", "--uts", "--"] + program
  }

  /// Runs in the new namespaces as `sh -c SCRIPT haflow-lab-host NAME SOURCE VIEW EXE
  /// PROGRAM…`. Sources are read through the view, so a lab directory under `/tmp` or `/root`
  /// stays reachable after those are replaced; the haflow binary (EXE, may be empty) is bound
  /// before they are, for the same reason; the view turns read-only last.
  static let bootScript: String = {
    let links = componentNames.map { "ln -s ../haflow \(componentBin)/\($0)" }
    var lines = [
      "set -e",
      "name=$1 source=$2 view=$3 exe=$4",
      "shift 4",
      "hostname \"$name\"",
      "mount -t tmpfs -o mode=0755,size=1m haflow-lab \(viewRoot)",
      "mkdir -p \"$view\"",
      "mount --bind \"$source\" \"$view\"",
      "if [ -n \"$exe\" ]; then",
      "  : > \(haflow)",
      "  mount --bind \"$exe\" \(haflow)",
      "  mount -o remount,bind,ro \(haflow)",
      "  mkdir \(componentBin)",
      "  " + links.joined(separator: "; "),
      "fi",
    ]
    for (path, _) in ownDirectories { lines.append("mount --bind \"$view/fs\(path)\" \(path)") }
    for path in ownFiles {
      lines.append("if [ -e \(path) ]; then mount --bind \"$view/fs\(path)\" \(path); fi")
    }
    lines += ["mount -o remount,bind,ro \"$view\"", "exec \"$@\""]
    return lines.joined(separator: "\n")
  }()

  /// Processes in a mount namespace of one of this lab's hosts: namespaces whose mount table
  /// has `view` (the host's view of its directory) as a mount point. Never this process's
  /// namespace or init's.
  static func members(view: String) -> [Int32] {
    (members(views: [view: view])[view] ?? []).sorted()
  }

  /// `members(view:)` for several hosts at once, by the value `views` gives each view: one
  /// look at the process table, each namespace's mount table read once and split into its
  /// fields, so hundreds of hosts cost one pass, not one per host.
  static func members(views: [String: String]) -> [String: [Int32]] {
    let ours = [namespace(of: "self"), namespace(of: "1")].compactMap { $0 }
    var byNamespace: [String: [Int32]] = [:]
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for entry in entries {
      guard let pid = Int32(entry), let space = namespace(of: entry), !ours.contains(space)
      else { continue }
      byNamespace[space, default: []].append(pid)
    }
    var keys: [Substring: String] = [:]
    for (view, key) in views { keys[Substring(escaped(view))] = key }
    var result: [String: [Int32]] = [:]
    for (_, pids) in byNamespace {
      // One member's mount table is the namespace's; a member may end meanwhile, so each
      // is read once (a lazy compactMap would read it twice, and trap when the second read
      // finds the process gone).
      var table: String?
      for pid in pids where table == nil { table = LabFiles.read("/proc/\(pid)/mountinfo") }
      guard let table else { continue }
      var owner: String?
      for line in table.split(separator: "\n") where owner == nil {
        owner = line.split(separator: " ").lazy.compactMap { keys[$0] }.first
      }
      if let owner { result[owner, default: []] += pids }
    }
    return result
  }

  /// `mnt:[4026531840]` of `/proc/ENTRY`, or nil (gone, or a zombie).
  private static func namespace(of entry: String) -> String? {
    try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/ns/mnt")
  }

  /// A path as `/proc/PID/mountinfo` writes it: space, tab, newline and backslash in octal.
  static func escaped(_ path: String) -> String {
    var text = ""
    for character in path {
      switch character {
      case " ": text += "\\040"
      case "\t": text += "\\011"
      case "\n": text += "\\012"
      case "\\": text += "\\134"
      default: text.append(character)
      }
    }
    return text
  }
}
