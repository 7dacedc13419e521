import Foundation
import Testing

/// `haflow inventory -i FILE [--json]`, end to end.
@Suite struct InventoryCommandTests {
  /// Runs `haflow ARGUMENTS` in `directory` on a thread of its own, so the wait for the
  /// process never blocks one of Swift Testing's cooperative threads.
  func haflow(_ arguments: String..., in directory: URL) async throws -> CLIResult {
    try await withCheckedThrowingContinuation { continuation in
      Thread.detachNewThread {
        continuation.resume(with: Result { try HaflowCLI.run(arguments, in: directory) })
      }
    }
  }

  @Test func listsHostsAndGroups() async throws {
    let ws = try Workspace()
    try ws.write(
      "hosts.ini",
      """
      lb ansible_host=10.0.0.10 ansible_port=2222
      [control_plane]
      cp[1:2] ansible_user=root
      [workers]
      w1 ansible_connection=local
      [k8s:children]
      control_plane
      workers
      """)
    let result = try await haflow("inventory", "-i", "hosts.ini", in: ws.url)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    #expect(
      result.stdout == """
        hosts (4):
          NAME  ADDRESS    PORT  USER  GROUPS
          lb    10.0.0.10  2222  -     ungrouped
          cp1   cp1        -     root  control_plane, k8s
          cp2   cp2        -     root  control_plane, k8s
          w1    (local)    -     -     workers, k8s
        groups (5):
          all            cp1, cp2, lb, w1
          control_plane  cp1, cp2
          k8s            cp1, cp2, w1
          ungrouped      lb
          workers        w1

        """)
  }

  @Test func jsonForAYAMLInventory() async throws {
    let ws = try Workspace()
    try ws.write(
      "cluster.yml",
      """
      all:
        vars: {ntp: pool.ntp.org}
        children:
          workers:
            hosts:
              w[1:2]:2200:
                ansible_user: ops
      """)
    let result = try await haflow("inventory", "--inventory", "cluster.yml", "--json", in: ws.url)
    #expect(result.status == 0, "\(result.stderr)")
    let host = { (name: String) in
      """
          "\(name)": {
            "address": "\(name)",
            "connection": "ssh",
            "port": 2200,
            "user": "ops",
            "vars": {
              "ansible_port": 2200,
              "ansible_user": "ops",
              "ntp": "pool.ntp.org"
            }
          }
      """
    }
    #expect(
      result.stdout == """
        {
          "groups": {
            "all": [
              "w1",
              "w2"
            ],
            "workers": [
              "w1",
              "w2"
            ]
          },
          "hosts": {
        \(host("w1")),
        \(host("w2"))
          }
        }

        """)
  }

  @Test func haflowSyntax() async throws {
    let ws = try Workspace()
    try ws.write(
      "lab.hf",
      """
      host cp[1:3] address=127.0.0.1 user=root groups=control_plane
      group etcd: control_plane
      """)
    let result = try await haflow("inventory", "-i", "lab.hf", in: ws.url)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("  cp3   127.0.0.1  -     root  control_plane, etcd\n"))
    #expect(result.stdout.contains("  etcd           cp1, cp2, cp3\n"))
  }

  @Test func invalidInventoryExits65WithTheLine() async throws {
    let ws = try Workspace()
    try ws.write("hosts.ini", "[web]\nweb[1:x]\n")
    let result = try await haflow("inventory", "-i", "hosts.ini", in: ws.url)
    #expect(result.status == 65)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr == """
        hosts.ini:2:1: error: host range '[1:x]' must have numbers or single letters as bounds
           2 | web[1:x]
             | ^~~~~~~~
              = hint: e.g. web[1:20] or node-[a:f]

        """)
  }

  @Test func unreadableFileExits2() async throws {
    let ws = try Workspace()
    let result = try await haflow("inventory", "-i", "missing.ini", in: ws.url)
    #expect(result.status == 2)
    #expect(result.stderr == "missing.ini: error: cannot read the file: it does not exist\n")
  }

  @Test func inventoryIsRequired() async throws {
    let ws = try Workspace()
    let result = try await haflow("inventory", in: ws.url)
    #expect(result.status == 2)
    #expect(result.stderr.contains("Missing expected argument '--inventory <file>'"))
  }

  @Test func warningsGoToStandardError() async throws {
    let ws = try Workspace()
    try ws.write("hosts.yaml", "web:\n  hosts: {w1: null}\n  host_vars: {a: 1}\n")
    let result = try await haflow("inventory", "-i", "hosts.yaml", "--json", in: ws.url)
    #expect(result.status == 0)
    #expect(result.stderr.hasPrefix("hosts.yaml:3:3: warning: skipping unexpected key 'host_vars'"))
    #expect(result.stdout.contains(#""web": ["#))
  }

  @Test func helpHasExamplesAndExitCodes() async throws {
    let ws = try Workspace()
    let result = try await haflow("inventory", "--help", in: ws.url)
    #expect(result.status == 0)
    #expect(result.stdout.contains("EXAMPLES:\n  haflow inventory -i hosts.ini"))
    #expect(result.stdout.contains("EXIT CODES:"))
    #expect(result.stdout.contains("-i, --inventory <file>"))
  }
}
