import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Test hosts on this machine: N real OpenSSH servers on 127.0.0.2, .3, … (port 22 as root,
/// free high ports otherwise), with a generated client key, host keys, known_hosts and
/// inventories, all in one directory (`.haflow/lab` by default). The servers run detached and
/// outlive the process that started them; `down` stops them. See docs/lab.md.
public struct Lab: Sendable {
  /// The files of this lab.
  public let files: LabFiles
  /// The OpenSSH server.
  public static let sshd = "/usr/sbin/sshd"

  /// The lab in `directory` (absolute).
  public init(directory: String) { files = LabFiles(directory: directory) }

  /// Starts the lab, or the hosts of a running lab that died; `log` hears progress.
  public func up(_ options: LabOptions, log: (String) -> Void = { _ in }) throws -> LabUpReport {
    let began = ContinuousClock.now
    guard (1...LabOptions.maxHosts).contains(options.hosts) else {
      throw LabError("--hosts must be 1–\(LabOptions.maxHosts), not \(options.hosts)")
    }
    guard FileManager.default.isExecutableFile(atPath: Lab.sshd) else {
      throw LabError(
        "no OpenSSH server at \(Lab.sshd)", hint: "install it: apt-get install openssh-server")
    }
    try LabFiles.makeDirectory(files.directory, mode: 0o755)
    return try LabLock.holding(files.lock) {
      let user = options.user ?? LabUser.current
      var state: LabState
      var toStart: [String]
      if let existing = try LabState.load(from: files.state),
        existing.hosts.contains(where: { isRunning($0.name) })
      {
        guard existing.hosts.count == options.hosts, existing.user == user else {
          throw LabError(
            "a lab of \(existing.hosts.count) hosts (user \(existing.user)) is already running "
              + "in \(files.directory)",
            hint: "stop it first with haflow lab down, or set HAFLOW_LAB_DIR for a second lab")
        }
        state = existing
        toStart = existing.hosts.map(\.name).filter { !isRunning($0) }
      } else {
        _ = try LabUser.prepare(options.user, log: log)
        state = try plan(options, user: user, log: log)
        toStart = state.hosts.map(\.name)
      }
      try prepareFiles(state, writeConfigs: toStart)
      try start(toStart, of: state, log: log)
      return LabUpReport(
        state: state, started: toStart, hosts: try status() ?? [],
        elapsed: ContinuousClock.now - began)
    }
  }

  /// Every host's state; nil when there is no lab here.
  public func status() throws -> [LabHostStatus]? {
    guard let state = try LabState.load(from: files.state) else { return nil }
    return state.hosts.map { host in
      let pid = recordedPID(host.name)
      let running = pid.map { LabProcesses.isSSHD($0, config: files.config(host.name)) } ?? false
      return LabHostStatus(
        name: host.name, address: host.address, port: host.port, pid: pid, running: running,
        listening: running && LabNetwork.accepts(host.address, host.port))
    }
  }

  /// The saved description of the lab, if there is one.
  public func state() throws -> LabState? { try LabState.load(from: files.state) }

  /// Stops every host (and every process its sshd forked) and removes the PID files; a lab
  /// that is not running (or not there) is fine.
  public func down(log: (String) -> Void = { _ in }) throws -> LabDownReport {
    guard FileManager.default.fileExists(atPath: files.state) else {
      return LabDownReport(stopped: [], leftover: [])
    }
    return try LabLock.holding(files.lock) {
      let state = try LabState.load(from: files.state)
      var stopped: [String] = []
      var leftover: [Int32] = []
      for host in state?.hosts ?? [] {
        let config = files.config(host.name)
        var pids = orphans(config: config)
        if let pid = recordedPID(host.name), LabProcesses.isSSHD(pid, config: config) {
          pids.insert(pid, at: 0)
        }
        for pid in Set(pids).sorted() { leftover += LabProcesses.stopTree(pid) }
        if !pids.isEmpty {
          stopped.append(host.name)
          log("stopped \(host.name) (\(host.address):\(host.port))")
        }
        try? FileManager.default.removeItem(atPath: files.pidFile(host.name))
      }
      return LabDownReport(stopped: stopped, leftover: leftover)
    }
  }

  // MARK: - Starting

  /// A new lab's hosts: addresses from `firstAddress`, port 22 as root (unless taken or
  /// `freePorts`), else a free port.
  private func plan(_ options: LabOptions, user: String, log: (String) -> Void) throws
    -> LabState
  {
    let addresses = try LabNetwork.addresses(from: options.firstAddress, count: options.hosts)
    var hosts: [LabState.HostRecord] = []
    for (index, address) in addresses.enumerated() {
      var port = 22
      if !LabUser.isRoot || options.freePorts || !LabNetwork.isFree(address, 22) {
        if LabUser.isRoot && !options.freePorts {
          log("\(address):22 is in use; node\(index + 1) gets a free port")
        }
        port = try LabNetwork.freePort(on: address)
      }
      hosts.append(.init(name: "node\(index + 1)", address: address, port: port))
    }
    return LabState(hosts: hosts, user: user)
  }

  /// Keys, configurations, known_hosts, inventories and `lab.json`.
  private func prepareFiles(_ state: LabState, writeConfigs names: [String]) throws {
    try LabFiles.makeDirectory(files.directory + "/hosts", mode: 0o755)
    try LabKeys.ensureClientKey(files)
    for host in state.hosts {
      try LabFiles.makeDirectory(files.host(host.name), mode: 0o755)
      try LabKeys.ensureHostKey(files.hostKey(host.name), host: host.name)
      guard names.contains(host.name) else { continue }
      let config = SSHDConfig(
        address: host.address, port: host.port, hostKey: files.hostKey(host.name),
        authorizedKeys: files.authorizedKeys, keysCommand: LabUser.isRoot && state.user != "root")
      try LabFiles.write(config.text, to: files.config(host.name))
    }
    try LabKeys.writeKnownHosts(state, files)
    try state.save(to: files.state)
    try LabFiles.write(LabInventory.ini(state, files), to: files.inventoryINI)
    try LabFiles.write(LabInventory.haflow(state, files), to: files.inventoryHF)
  }

  /// Starts sshd for `names`, then waits until each accepts connections. When one fails, the
  /// ones this call started are stopped again and the error quotes its log.
  private func start(_ names: [String], of state: LabState, log: (String) -> Void) throws {
    if LabUser.isRoot { try LabFiles.makeDirectory("/run/sshd", mode: 0o755) }
    var started: [(LabState.HostRecord, Int32)] = []
    do {
      for host in state.hosts where names.contains(host.name) {
        try? FileManager.default.removeItem(atPath: files.log(host.name))
        let pid = try LabSpawn.detached(
          [Lab.sshd, "-D", "-e", "-f", files.config(host.name)], log: files.log(host.name))
        started.append((host, pid))
        try LabFiles.write("\(pid)\n", to: files.pidFile(host.name))
      }
      for (host, pid) in started {
        guard
          LabNetwork.waitListening(host.address, host.port, pid: pid, limit: .seconds(15))
        else {
          let text = (LabFiles.read(files.log(host.name)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
          throw LabError(
            "\(host.name): sshd did not start listening on \(host.address):\(host.port)"
              + (text.isEmpty ? "" : ": \(text)"),
            hint: "its log is \(files.log(host.name))")
        }
        log("\(host.name) up: \(host.address):\(host.port), pid \(pid)")
      }
    } catch {
      for (host, pid) in started {
        _ = LabProcesses.stopTree(pid)
        try? FileManager.default.removeItem(atPath: files.pidFile(host.name))
      }
      throw error
    }
  }

  // MARK: - Processes

  private func recordedPID(_ name: String) -> Int32? {
    LabFiles.read(files.pidFile(name)).flatMap {
      Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
  }

  private func isRunning(_ name: String) -> Bool {
    guard let pid = recordedPID(name) else { return false }
    return LabProcesses.isSSHD(pid, config: files.config(name))
  }

  /// sshd listeners started with `config` that no PID file names (a crashed `up`).
  private func orphans(config: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { LabProcesses.isSSHD($0, config: config) }
  }
}
