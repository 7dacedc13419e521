import Foundation
import Testing

/// The REPL and the debugger against `haflow lab` hosts: real sshd on 127.0.0.130–.141.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ReplLabTests {
  @Test func ctrlCStopsARemoteCommandWithinASecond() async throws {
    let directory = try ReplFiles.makeDirectory()
    defer { ReplFiles.remove(directory) }
    try await offThePool {
      defer { ReplLab.down(in: directory) }
      let inventory = try ReplLab.up(hosts: 1, firstAddress: "127.0.0.130", in: directory)
      let pty = try ReplPTY(["repl", "-i", inventory], in: directory)
      try pty.expect("haflow> ")
      // Timing on a shared machine: the best of up to three tries must be under a second.
      var fastest = Double.infinity
      for _ in 0..<3 where fastest >= 1 {
        let marker = "haflow-repl-lab-\(UInt32.random(in: 1...UInt32.max))"
        try pty.line("on \"node1\" { `sh -c \"sleep 30; echo \(marker)\"` }")
        try pty.expect("[node1] $ sh -c")
        try #require(
          ReplLab.waitForProcess(marker, running: true), "the remote command did not start")
        // As an operator would: some time into the command, not while it starts.
        Thread.sleep(forTimeInterval: 1)
        try pty.interrupt()
        fastest = min(fastest, try pty.expect("haflow> ", timeout: 5))
        #expect(
          ReplLab.waitForProcess(marker, running: false), "the remote command outlived Ctrl-C")
      }
      #expect(fastest < 1, "the prompt came back \(fastest)s after Ctrl-C")
      try pty.line("on \"node1\" { `echo still connected` }.stdout")
      try pty.expect("\"still connected\\n\" : string")
      // Ctrl-D at the prompt: typed earlier, the terminal would take it as its own EOF.
      try pty.expect("haflow> ")
      try pty.send(ReplPTY.Key.ctrlD)
      #expect(pty.waitForExit() == 0, "\(pty.screen)")
    }
  }

  @Test func debuggingSessionOnLabHosts() async throws {
    let directory = try DebugTerminalTests.makeWorkspace(group: "lab")
    defer { ReplFiles.remove(directory) }
    try await offThePool {
      defer { ReplLab.down(in: directory) }
      let inventory = try ReplLab.up(hosts: 2, firstAddress: "127.0.0.140", in: directory)
      try DebugTerminalTests.breakInspectFixRetry(inventory: inventory, in: directory)
    }
  }
}
