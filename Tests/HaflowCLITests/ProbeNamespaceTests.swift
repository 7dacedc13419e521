import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `probe`'s `unreachable` outcome, live: haflow runs in a network namespace of its own
/// (`unshare -n`, created by the test), whose loopback interface is down, so a connect to
/// 127.0.0.2 fails with "Network is unreachable". Nothing leaves the namespace.
@Suite struct ProbeNamespaceTests {
  static let canUnshare =
    geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")

  @Test(.enabled(if: canUnshare, "a network namespace needs root and unshare"))
  func probeAndWaitReportUnreachable() async throws {
    let workspace = try Workspace()
    try workspace.write(
      "unreachable.hf",
      """
      let r = probe("127.0.0.2:6443", timeout: 1s)
      print("${r.status} ${r.open} ${r.message}")
      wait_for_port("127.0.0.2", 6443, timeout: 300ms, every: 100ms)
      """)
    let url = workspace.url
    let result = try await offThePool {
      try HaflowCLI.run(
        ["run", "unreachable.hf"], in: url, limit: 30, launcher: ["/usr/bin/unshare", "-n"])
    }
    #expect(
      result.stdout
        == "unreachable false 127.0.0.2:6443 is unreachable: Network is unreachable\n")
    #expect(result.status == 1)
    #expect(result.stderr.contains("unreachable.hf:3:1"), "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "127.0.0.2:6443 did not open within 300ms: the last probe was unreachable"),
      "\(result.stderr)")
  }
}
