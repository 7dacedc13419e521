import Foundation
import Synchronization

/// Test users: `haflowtest` (shell /bin/sh, passwordless sudo) and `haflowpw` (sudo wants a
/// password). Created when missing; sudo is installed with apt when missing.
public enum TestUsers {
  public static let sudoer = "haflowtest"
  public static let passwordSudoer = "haflowpw"
  /// `passwordSudoer`'s password (its crypt hash is set below).
  public static let sudoPassword = "sudo-pw-4711"
  private static let sudoPasswordHash =
    "$6$haflowtestsalt$7qIQ/a6OW7sq9GW739iGAS/s.uJyGajSe73SY/ejgCKebb8JdBnNpaptNKDspwieZb30GZOShLGjUjXMJKGRj/"

  /// Whether the users can be made (root only).
  public static var canCreate: Bool { getuid() == 0 }

  private static let done = Mutex<Bool>(false)

  /// Makes sure both users and the sudo rules exist (once per test process).
  public static func ensure() throws {
    try done.withLock { done in
      if done { return }
      try create()
      done = true
    }
  }

  private static func create() throws {
    if !FileManager.default.isExecutableFile(atPath: "/usr/bin/sudo") {
      _ = try? Shell.run("apt-get", "install", "-y", "-q", "sudo")
      if !FileManager.default.isExecutableFile(atPath: "/usr/bin/sudo") {
        try Shell.run("apt-get", "update", "-q")
        try Shell.run("apt-get", "install", "-y", "-q", "sudo")
      }
    }
    for user in [sudoer, passwordSudoer] {
      if (try? Shell.run("id", "-u", user)) == nil {
        _ = try? Shell.run("useradd", "-m", "-s", "/bin/sh", user)
      }
      // Not locked ("!"), or sshd refuses the account; "*" still allows no password login.
      _ = try? Shell.run("usermod", "-p", user == sudoer ? "*" : sudoPasswordHash, user)
    }
    let rules = """
      \(sudoer) ALL=(ALL) NOPASSWD: ALL
      \(passwordSudoer) ALL=(ALL) ALL

      """
    let path = "/etc/sudoers.d/haflow-tests"
    if (try? String(contentsOfFile: path, encoding: .utf8)) != rules {
      try rules.write(toFile: path, atomically: true, encoding: .utf8)
      chmod(path, 0o440)
    }
  }
}
