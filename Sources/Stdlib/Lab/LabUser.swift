import Foundation
import Remote

#if canImport(Glibc)
  import Glibc
#endif

/// Who logs in to the lab hosts: root (running as root), the current user (otherwise), or a
/// named user, created when missing (root only) with `useradd -M -s /bin/sh` and an empty
/// home directory, so its shell reads no start-up files.
enum LabUser {
  /// Whether this process runs as root.
  static var isRoot: Bool { geteuid() == 0 }

  /// The current user's name.
  static var current: String { LocalUser.name }

  /// The login user for `requested`; creates it when needed. `log` hears what was done.
  static func prepare(_ requested: String?, log: (String) -> Void) throws -> String {
    guard let requested, requested != current else { return current }
    guard isRoot else {
      throw LabError(
        "--user \(requested) needs root: without root, sshd can only log in as \(current)")
    }
    guard requested.range(of: #"^[a-z_][a-z0-9_-]{0,31}$"#, options: .regularExpression) != nil
    else { throw LabError("invalid user name '\(requested)'") }
    if getpwnam(requested) == nil {
      // "*" rather than useradd's locked "!": without PAM, sshd refuses locked accounts.
      try LabSpawn.check(["useradd", "-M", "-s", "/bin/sh", "-p", "*", requested])
      log("created user \(requested) (shell /bin/sh, no start-up files)")
      try makeHome(requested)
    } else if locked(requested) {
      throw LabError(
        "the account \(requested) is locked (its password field starts with '!'); sshd without "
          + "PAM refuses it",
        hint: "unlock it for key logins with: usermod -p '*' \(requested)")
    }
    return requested
  }

  /// The user every isolated host has, as the kubeadm docs assume: passwordless sudo (a rule
  /// in each host's own `/etc/sudoers.d`, not this machine's), home in the host's own
  /// `/home`.
  static let ubuntu = "ubuntu"

  /// Makes sure `ubuntu` exists on this machine: created when missing, as the SSH test
  /// fixture makes its users (`useradd -M -s /bin/bash -p '*'`: no home here, its home is
  /// each host's own; no password, but not locked, so sshd lets its key in).
  static func ensureUbuntu(log: (String) -> Void) throws {
    if getpwnam(ubuntu) == nil {
      try LabSpawn.check([
        "useradd", "-M", "-d", "/home/" + ubuntu, "-s", "/bin/bash", "-p", "*", ubuntu,
      ])
      log("created user \(ubuntu) (home in each host's own /home, passwordless sudo there)")
    } else if locked(ubuntu) {
      log(
        "the account \(ubuntu) is locked: sshd will refuse it (unlock it for key logins "
          + "with: usermod -p '*' \(ubuntu))")
    }
  }

  /// Creates the user's home directory, empty, owned by the user.
  private static func makeHome(_ user: String) throws {
    guard let entry = getpwnam(user), let dir = entry.pointee.pw_dir else { return }
    let home = String(cString: dir)
    guard !home.isEmpty, !FileManager.default.fileExists(atPath: home) else { return }
    try LabFiles.makeDirectory(home)
    chown(home, entry.pointee.pw_uid, entry.pointee.pw_gid)
  }

  /// Whether /etc/shadow marks the account locked.
  private static func locked(_ user: String) -> Bool {
    guard let shadow = LabFiles.read("/etc/shadow") else { return false }
    for line in shadow.split(separator: "\n") {
      let fields = line.split(separator: ":", omittingEmptySubsequences: false)
      if fields.count > 1, fields[0] == user { return fields[1].hasPrefix("!") }
    }
    return false
  }
}
