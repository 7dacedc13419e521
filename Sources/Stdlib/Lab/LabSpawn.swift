import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Starting programs for the lab: helpers run to completion (`ssh-keygen`, `useradd`) and
/// sshd started detached, in a session of its own, so it outlives `haflow lab up`.
enum LabSpawn {
  /// glibc's `POSIX_SPAWN_SETSID` (a GNU extension Swift does not import).
  private static let setSessionFlag: Int32 = 0x80

  /// Runs `arguments` (the program found on PATH) with no input and returns its exit status
  /// and output; gives up (killing it) after `limit`.
  static func run(_ arguments: [String], limit: Duration = .seconds(60)) throws -> (
    status: Int32, output: String
  ) {
    let output = NSTemporaryDirectory() + "haflow-lab-\(UInt64.random(in: 0...UInt64.max)).out"
    defer { unlink(output) }
    let pid = try spawn(
      ["/usr/bin/env"] + arguments, output: output, append: false, detached: false)
    let deadline = ContinuousClock.now + limit
    var status: Int32 = 0
    while true {
      let done = waitpid(pid, &status, WNOHANG)
      if done == pid { break }
      if done < 0 && errno != EINTR { break }
      if ContinuousClock.now >= deadline {
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        throw LabError("\(arguments.joined(separator: " ")) did not finish within \(limit)")
      }
      usleep(5_000)
    }
    let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (exit, LabFiles.read(output) ?? "")
  }

  /// Runs `arguments` and throws with its output when it fails.
  static func check(_ arguments: [String]) throws {
    let result = try run(arguments)
    guard result.status == 0 else {
      let output = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
      throw LabError(
        "\(arguments.joined(separator: " ")) failed (exit \(result.status)): \(output)")
    }
  }

  /// Starts `arguments[0]` in a new session with no input, its output appended to `log`, and
  /// returns its process ID. `program` is the file to run when it is not `arguments[0]` (a
  /// lab component is the haflow binary called by another name).
  static func detached(_ arguments: [String], program: String? = nil, log: String) throws -> pid_t {
    try spawn(arguments, program: program, output: log, append: true, detached: true)
  }

  private static func spawn(
    _ arguments: [String], program: String? = nil, output: String, append: Bool, detached: Bool
  ) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, flags, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // A daemon must not hold the caller's other descriptors (a pipe would never see EOF).
    for fd in inheritableDescriptors() { posix_spawn_file_actions_addclose(&actions, fd) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var all = sigset_t()
    sigfillset(&all)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setsigmask(&attributes, &none)
    var spawnFlags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
    if detached { spawnFlags |= setSessionFlag }
    posix_spawnattr_setflags(&attributes, Int16(spawnFlags))
    let argv = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let path = program ?? arguments[0]
    let status = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
    guard status == 0 else {
      throw LabError("cannot start \(path): \(String(cString: strerror(status)))")
    }
    return pid
  }

  /// Open descriptors above 2 without close-on-exec.
  private static func inheritableDescriptors() -> [Int32] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return names.compactMap(Int32.init).filter { fd in
      guard fd > 2 else { return false }
      let flags = fcntl(fd, F_GETFD)
      return flags >= 0 && flags & FD_CLOEXEC == 0
    }
  }
}
