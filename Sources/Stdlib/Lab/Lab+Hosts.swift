import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Taking single hosts down and back (`haflow lab stop|start HOST`), and the processes behind
/// every host: its sshd, started in the host's namespaces, and haproxy inside `lb`.
extension Lab {
  /// Takes `names` down as a power cut would: sshd, every session, and every other process
  /// the host runs (haproxy on lb). Their files stay; `start` brings them back. Returns the
  /// hosts that were running.
  public func stop(_ names: [String], log: (String) -> Void = { _ in }) throws -> [String] {
    try requireLab()
    return try LabLock.holding(files.lock) {
      var state = try activeState(naming: names)
      var stopped: [String] = []
      for name in names {
        let result = stopHost(name, of: state)
        guard result.leftover.isEmpty else {
          let pids = result.leftover.map(String.init).joined(separator: " ")
          throw LabError("\(name): processes that would not die: \(pids)")
        }
        if !state.stopped.contains(name) { state.stopped.append(name) }
        if result.stopped.isEmpty {
          log("\(name) was not running")
        } else {
          stopped.append(name)
          log("stopped \(name)")
        }
      }
      try state.save(to: files.state)
      return stopped
    }
  }

  /// Brings `names` back (with the files they had) and waits until they accept connections;
  /// hosts already up are left alone. Returns the hosts it started.
  public func start(_ names: [String], log: (String) -> Void = { _ in }) throws -> [String] {
    try requireLab()
    return try LabLock.holding(files.lock) {
      var state = try activeState(naming: names)
      let toStart = names.filter { !isRunning($0, state) }
      for name in names where !toStart.contains(name) { log("\(name) is already up") }
      try startHosts(toStart, of: state, log: log)
      try startComponents(of: state, log: log)
      state.stopped.removeAll { names.contains($0) }
      try state.save(to: files.state)
      return toStart
    }
  }

  /// Throws unless there is a lab here (before taking its lock, which needs its directory).
  func requireLab() throws {
    guard FileManager.default.fileExists(atPath: files.state) else { throw noRunningLab }
  }

  /// The error for a command that needs a running lab.
  var noRunningLab: LabError {
    LabError("no running lab in \(files.directory)", hint: "start one with haflow lab up")
  }

  /// The state of a running lab that has every host in `names`.
  private func activeState(naming names: [String]) throws -> LabState {
    guard let state = try LabState.load(from: files.state), isActive(state) else {
      throw noRunningLab
    }
    guard !names.isEmpty else { throw LabError("name the hosts, e.g. cp1 w2") }
    for name in names where state.host(named: name) == nil {
      let known = state.hosts.map(\.name).joined(separator: ", ")
      throw LabError("the lab has no host '\(name)'", hint: "its hosts are \(known)")
    }
    return state
  }

  // MARK: - Processes

  /// The sshd `-f` argument: the host's configuration as its sshd sees it.
  func sshdConfig(_ name: String, _ state: LabState) -> String {
    state.isolated ? files.view(name) + "/sshd_config" : files.config(name)
  }

  /// Whether `pid` runs host `name`'s sshd.
  func isSSHD(_ pid: Int32, _ name: String, _ state: LabState) -> Bool {
    LabProcesses.isSSHD(pid, config: sshdConfig(name, state))
  }

  /// Whether host `name`'s recorded sshd runs.
  func isRunning(_ name: String, _ state: LabState) -> Bool {
    guard let pid = recordedPID(files.pidFile(name)) else { return false }
    return isSSHD(pid, name, state)
  }

  /// The process ID in a PID file.
  func recordedPID(_ path: String) -> Int32? {
    LabFiles.read(path).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
  }

  /// Starts sshd for `names` (each in its own namespaces when the lab is isolated), then waits
  /// until each accepts connections. Leftovers of an earlier run of a host (a crashed `up`,
  /// a daemon in its namespace) are stopped first. When one fails, the ones this call started
  /// are stopped again and the error quotes its log.
  func startHosts(_ names: [String], of state: LabState, log: (String) -> Void) throws {
    if LabUser.isRoot { try LabFiles.makeDirectory("/run/sshd", mode: 0o755) }
    var started: [(LabState.HostRecord, Int32)] = []
    do {
      // Whatever still runs under these hosts' names (a lab killed without `down`) goes first.
      _ = stopHosts(state.hosts.map(\.name).filter(names.contains), of: state)
      for host in state.hosts where names.contains(host.name) {
        try? FileManager.default.removeItem(atPath: files.log(host.name))
        let sshd = [Lab.sshd, "-D", "-e", "-f", sshdConfig(host.name, state)]
        let command =
          state.isolated
          ? LabIsolation.command(
            host: host.name, files: files, executable: runsKubelet(state) ? executable : nil,
            program: sshd) : sshd
        let pid = try LabSpawn.detached(command, log: files.log(host.name))
        started.append((host, pid))
        try LabFiles.write("\(pid)\n", to: files.pidFile(host.name))
      }
      for (host, pid) in started {
        guard
          LabNetwork.waitListening(host.address, host.port, pid: pid, limit: .seconds(15))
        else {
          throw LabError(
            "\(host.name): sshd did not start listening on \(host.address):\(host.port)"
              + quoted(log: files.log(host.name)),
            hint: "its log is \(files.log(host.name))")
        }
        log("\(host.name) up: \(host.address):\(host.port), pid \(pid)")
      }
    } catch {
      _ = stopHosts(started.map(\.0.name), of: state)
      throw error
    }
  }

  /// Starts what runs beside sshd on hosts that are up but lack it: haproxy inside a cluster
  /// lab's `lb`, and every cluster-lab host's kubelet.
  func startComponents(of state: LabState, log: (String) -> Void) throws {
    try startLoadBalancer(of: state, log: log)
    try startKubelets(of: state, log: log)
  }

  /// Starts haproxy inside `lb`, listening on lb's address:6443 (waited for, at most 15 s).
  private func startLoadBalancer(of state: LabState, log: (String) -> Void) throws {
    guard let shape = state.shape, let lb = state.host(named: LabShape.loadBalancer),
      let sshd = recordedPID(files.pidFile(lb.name)), isSSHD(sshd, lb.name, state)
    else { return }
    let pidFile = files.component(lb.name, "haproxy.pid")
    if let pid = recordedPID(pidFile), LabHAProxy.isRunning(pid, files: files) { return }
    _ = LabProcesses.stop(reaping: recordedPID(pidFile).map { [$0] } ?? []) {
      haproxyProcesses()
    }
    let logFile = files.component(lb.name, "haproxy.log")
    try? FileManager.default.removeItem(atPath: logFile)
    let pid = try LabSpawn.detached(
      LabIsolation.enter(pid: sshd, program: LabHAProxy.arguments(files: files)), log: logFile)
    try LabFiles.write("\(pid)\n", to: pidFile)
    let port = LabShape.apiServerPort
    guard LabNetwork.waitListening(lb.address, port, pid: pid, limit: .seconds(15)) else {
      _ = LabProcesses.stop { haproxyProcesses() + [pid].filter(LabProcesses.isAlive) }
      try? FileManager.default.removeItem(atPath: pidFile)
      throw LabError(
        "lb: haproxy did not start listening on \(lb.address):\(port)" + quoted(log: logFile),
        hint: "its log is \(logFile)")
    }
    log(
      "lb: haproxy on \(lb.address):\(port) → "
        + shape.controlPlaneNames.joined(separator: ", ") + ", pid \(pid)")
  }

  /// Stops one host: see `stopHosts`.
  func stopHost(_ name: String, of state: LabState) -> (stopped: [Int32], leftover: [Int32]) {
    let result = stopHosts([name], of: state)
    return (result.stopped[name] ?? [], result.leftover)
  }

  /// Stops the hosts `names` together — each one's sshd, what it forked, haproxy on `lb`, and
  /// for an isolated host every process in its namespaces — and removes their PID files. Each
  /// look at the process table finds the processes of every host at once: one look per host
  /// made `lab down` of 500 hosts take 90 s of CPU. Returns, by host, the processes found
  /// first (none: the host was not running), and the IDs still alive at the end (none,
  /// normally).
  func stopHosts(_ names: [String], of state: LabState) -> (
    stopped: [String: [Int32]], leftover: [Int32]
  ) {
    guard !names.isEmpty else { return ([:], []) }
    var configs: [String: String] = [:]
    var views: [String: String] = [:]
    var recorded: [Int32?] = []
    for name in names {
      configs[sshdConfig(name, state)] = name
      if state.isolated { views[files.view(name)] = name }
      recorded.append(recordedPID(files.pidFile(name)))
      recorded.append(recordedPID(files.component(name, LabKubelet.pidFile)))
    }
    let loadBalancer =
      state.shape != nil && names.contains(LabShape.loadBalancer) ? LabShape.loadBalancer : nil
    if let loadBalancer {
      recorded.append(recordedPID(files.component(loadBalancer, "haproxy.pid")))
    }
    var first: [String: [Int32]]?
    let leftover = LabProcesses.stop(reaping: recorded.compactMap { $0 }) {
      var found = LabProcesses.running(program: "sshd", configs: configs)
      if let loadBalancer { found[loadBalancer, default: []] += haproxyProcesses() }
      if state.isolated {
        found.merge(LabIsolation.members(views: views)) { $0 + $1 }
      }
      if first == nil { first = found }
      return found.values.flatMap { $0 }
    }
    for name in names {
      try? FileManager.default.removeItem(atPath: files.pidFile(name))
      try? FileManager.default.removeItem(atPath: files.component(name, LabKubelet.pidFile))
    }
    if let loadBalancer {
      try? FileManager.default.removeItem(atPath: files.component(loadBalancer, "haproxy.pid"))
    }
    return ((first ?? [:]).filter { !$0.value.isEmpty }, leftover)
  }

  /// This lab's haproxy processes, found by their command line.
  private func haproxyProcesses() -> [Int32] {
    LabProcesses.running(
      program: LabHAProxy.name, config: files.view(LabShape.loadBalancer) + "/haproxy.cfg")
  }

  /// `: LOG TEXT` of a log file, or nothing when it is empty.
  private func quoted(log path: String) -> String {
    let text = (LabFiles.read(path) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? "" : ": \(text)"
  }
}
