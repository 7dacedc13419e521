import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `sudo: true` on this machine: haflow runs as a non-root user with passwordless sudo
/// (`runuser`, a user the test creates) and reads and writes a root-only directory through
/// the same staging path as on SSH hosts (`SudoFiles` over the local executor).
@Suite struct LocalSudoTransferTests {
  static let user = "haflowlocal"
  static let available =
    geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/sudo")
    && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")

  @Test(.enabled(if: available, "needs root, sudo and runuser"))
  func writeReadAndScpAsRootFromANonRootRun() async throws {
    try Self.ensureUser()
    // The binary where the user can run it, whatever the checkout's permissions.
    let binary = try #require(HaflowCLI.binary)
    let bin = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-localsudo-bin-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: bin, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    defer { try? FileManager.default.removeItem(at: bin) }
    let haflow = bin.appendingPathComponent("haflow").path
    try FileManager.default.copyItem(atPath: binary.path, toPath: haflow)
    chmod(haflow, 0o755)
    let directory = "/root/haflow-localsudo-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let workspace = try Workspace()
    chmod(workspace.url.path, 0o755)
    let script = try workspace.write(
      "sudo.hf",
      """
      let dir = "\(directory)"
      print(trim(local `id -un`.stdout))
      on "localhost" {
        try { read_file("${dir}/none") } catch e { print("plain read refused") }
        let w = write_file("${dir}/pki/ca.key", secret("KEY"), mode: "0600", parents: true, sudo: true)
        print(w.mode)
        print(read_file("${dir}/pki/ca.key", sudo: true) == "KEY")
      }
      let s = scp("${dir}/pki/ca.key", "${dir}/copy.key", sudo: true)
      print(s.mode)
      """)
    chmod(script, 0o644)
    let url = workspace.url
    let result = try await offThePool {
      try HaflowCLI.run(
        ["run", "sudo.hf"], in: url, limit: 60,
        launcher: ["/usr/sbin/runuser", "-u", Self.user, "--"], binary: haflow)
    }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "\(Self.user)\nplain read refused\n0600\ntrue\n0600\n")
    for file in ["/pki/ca.key", "/copy.key"] {
      let attributes = try FileManager.default.attributesOfItem(atPath: directory + file)
      #expect(attributes[.posixPermissions] as? Int == 0o600, "\(file)")
      #expect(attributes[.ownerAccountName] as? String == "root", "\(file)")
      #expect(try String(contentsOfFile: directory + file, encoding: .utf8) == "KEY")
    }
    #expect(result.stderr.contains("as root)"), "\(result.stderr)")
    #expect(!result.stderr.contains("KEY"))
  }

  /// A user with passwordless sudo (created once; kept, like the SSH suites' users).
  static func ensureUser() throws {
    if getpwnam(user) == nil {
      try Self.check(["/usr/sbin/useradd", "-M", "-s", "/bin/sh", "-p", "*", user])
    }
    let rule = "/etc/sudoers.d/\(user)"
    if !FileManager.default.fileExists(atPath: rule) {
      try "\(user) ALL=(ALL) NOPASSWD: ALL\n".write(
        toFile: rule, atomically: true, encoding: .utf8)
      chmod(rule, 0o440)
    }
  }

  private static func check(_ arguments: [String]) throws {
    let pid = try ChildProcess.spawn(
      arguments, environment: ProcessInfo.processInfo.environment,
      directory: "/", output: nil, errors: nil)
    let status = ChildProcess.reap(pid, within: 30)
    guard status == 0 else { throw PTYError("\(arguments.joined(separator: " ")) failed") }
  }
}
