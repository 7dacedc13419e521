/// The `sshd_config` of one lab host: one address and port, its own host key, the lab's
/// `authorized_keys` for every user, no PAM, no password logins, quiet logs, and no login rc
/// files for commands (see ``freshNodeEnvironment``).
struct SSHDConfig {
  /// `127.0.0.2`.
  var address: String
  /// The port.
  var port: Int
  /// The private host key.
  var hostKey: String
  /// The lab's authorized_keys.
  var authorizedKeys: String
  /// Also hand the keys over with `AuthorizedKeysCommand` (sshd running as root, login as
  /// another user who may not be able to read the lab directory).
  var keysCommand: Bool
  /// The host's cluster-clock file, as its sessions see it (`HAFLOW_LAB_CLOCK_FILE`).
  var clockFile: String? = nil
  /// The directory of manifests the lab serves, as its sessions see it
  /// (`HAFLOW_LAB_MANIFESTS`, read by the kubectl stand-in; see ``LabManifests``).
  var manifests: String? = nil
  /// Where the host's sessions keep `haflow run`'s run lock (`HAFLOW_LOCK_DIR`): a directory of
  /// the host's own when hosts share this machine's file system (one `~/.haflow` would make
  /// them one host to the lock); nil: the login user's `~/.haflow`, the host's own.
  var lockDirectory: String? = nil

  /// The configuration file's text.
  var text: String {
    var lines = [
      "# haflow lab host: written by `haflow lab up`",
      "ListenAddress \(address):\(port)",
      "HostKey \(quoted(hostKey))",
      "PidFile none",
      "AuthorizedKeysFile \(quoted(authorizedKeys))",
      "StrictModes no",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PubkeyAuthentication yes",
      "MaxAuthTries 30",
      "MaxSessions 30",
      "MaxStartups 100",
      "UseDNS no",
      "PrintMotd no",
      "PrintLastLog no",
      "LogLevel FATAL",
      "Subsystem sftp internal-sftp",
      // sshd uses the first SetEnv line only: every variable goes on this one.
      SSHDConfig.freshNodeEnvironment
        + (clockFile.map { " HAFLOW_LAB_CLOCK_FILE=\(quoted($0))" } ?? "")
        + (manifests.map { " HAFLOW_LAB_MANIFESTS=\(quoted($0))" } ?? "")
        + (lockDirectory.map { " HAFLOW_LOCK_DIR=\(quoted($0))" } ?? ""),
    ]
    if keysCommand {
      lines += [
        "AuthorizedKeysCommand /usr/bin/cat \(quoted(authorizedKeys))",
        "AuthorizedKeysCommandUser root",
      ]
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Lab hosts stand for fresh nodes, not for the workstation they run on: a command must not
  /// read the login user's `~/.bashrc` (here root's, which may start pyenv, cargo, … — slow, and
  /// noisy on stderr when many commands start at once). bash sources `~/.bashrc` for an sshd
  /// command only when it is a top-level shell (`SHLVL` < 2 after its own increment), so the
  /// session starts with `SHLVL=1`.
  static let freshNodeEnvironment = "SetEnv SHLVL=1"

  /// A path as sshd_config reads it: double-quoted when it holds a space.
  private func quoted(_ path: String) -> String {
    path.contains(" ") || path.contains("\t") ? "\"\(path)\"" : path
  }
}
