import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Test hosts on this machine: real OpenSSH servers on 127.0.0.2, .3, … (port 22 as root,
/// free high ports otherwise), with a generated client key, host keys, known_hosts and
/// inventories, all in one directory (`.haflow/lab` by default). As root each host runs in its
/// own mount and UTS namespace (``LabIsolation``); a cluster lab (``LabShape``) adds haproxy on
/// `lb`. The servers run detached and outlive the process that started them; `down` stops
/// them. See docs/lab.md.
public struct Lab: Sendable {
  /// The files of this lab.
  public let files: LabFiles
  /// The OpenSSH server.
  public static let sshd = "/usr/sbin/sshd"

  /// The haflow binary that the hosts of a cluster lab run as `kubelet`, `kubeadm` and the
  /// control-plane components; nil when unknown (then the hosts have none of them).
  public var executable: String?

  /// The lab in `directory` (absolute); `executable` defaults to ``Lab/currentExecutable``.
  public init(directory: String, executable: String? = Lab.currentExecutable) {
    files = LabFiles(directory: directory)
    self.executable = executable
  }

  /// This program when it is the haflow binary (its file is called `haflow`), else
  /// `$HAFLOW_EXECUTABLE`; nil otherwise (a test runner that uses the library).
  public static var currentExecutable: String? {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
      (path as NSString).lastPathComponent == "haflow"
    {
      return path
    }
    let variable = ProcessInfo.processInfo.environment["HAFLOW_EXECUTABLE"] ?? ""
    return variable.isEmpty ? nil : variable
  }

  /// Starts the lab, or the hosts of a running lab that died or were stopped; `log` hears
  /// progress.
  public func up(_ options: LabOptions, log: (String) -> Void = { _ in }) throws -> LabUpReport {
    let began = ContinuousClock.now
    guard (1...LabOptions.maxHosts).contains(options.hosts) else {
      throw LabError("--hosts must be 1–\(LabOptions.maxHosts), not \(options.hosts)")
    }
    guard FileManager.default.isExecutableFile(atPath: Lab.sshd) else {
      throw LabError(
        "no OpenSSH server at \(Lab.sshd)", hint: "install it: apt-get install openssh-server")
    }
    let isolated = try Lab.isolation(for: options, log: log)
    if options.shape != nil, let error = LabHAProxy.unavailable() { throw error }
    try LabFiles.makeDirectory(files.directory, mode: 0o755)
    return try LabLock.holding(files.lock) {
      let user = options.user ?? LabUser.current
      var state: LabState
      var toStart: [String]
      let fresh: Bool
      if let existing = try LabState.load(from: files.state), isActive(existing) {
        guard existing.hosts.count == options.hosts, existing.user == user,
          existing.shape == options.shape, existing.isolated == isolated
        else {
          throw LabError(
            "\(Lab.describe(existing)) is already running in \(files.directory)",
            hint: "stop it first with haflow lab down, or set HAFLOW_LAB_DIR for a second lab")
        }
        state = existing
        toStart = existing.hosts.map(\.name).filter { !isRunning($0, state) }
        state.stopped = []
        fresh = false
      } else {
        _ = try LabUser.prepare(options.user, log: log)
        state = try plan(options, user: user, isolated: isolated, log: log)
        toStart = state.hosts.map(\.name)
        fresh = true
      }
      if isolated {
        try LabUser.ensureUbuntu(log: log)
        try LabIsolation.makeMountPoints()
      }
      try prepareFiles(state, writeConfigs: toStart, fresh: fresh)
      try startHosts(toStart, of: state, log: log)
      try startComponents(of: state, log: log)
      try state.save(to: files.state)
      return LabUpReport(
        state: state, started: toStart, hosts: try status() ?? [],
        elapsed: ContinuousClock.now - began)
    }
  }

  /// Every host's state; nil when there is no lab here.
  public func status() throws -> [LabHostStatus]? {
    guard let state = try LabState.load(from: files.state) else { return nil }
    return state.hosts.map { host in
      let pid = recordedPID(files.pidFile(host.name))
      let running = pid.map { isSSHD($0, host.name, state) } ?? false
      var status = LabHostStatus(
        name: host.name, address: host.address, port: host.port, pid: pid, running: running,
        listening: running && LabNetwork.accepts(host.address, host.port),
        stoppedOnPurpose: state.stopped.contains(host.name))
      if state.shape != nil, host.name == LabShape.loadBalancer {
        let pid = recordedPID(files.component(host.name, "haproxy.pid"))
        let alive = pid.map { LabHAProxy.isRunning($0, files: files) } ?? false
        status.components.append(
          LabComponentStatus(
            name: LabHAProxy.name, address: host.address, port: LabShape.apiServerPort, pid: pid,
            running: alive,
            listening: alive && LabNetwork.accepts(host.address, LabShape.apiServerPort)))
      }
      return status
    }
  }

  /// The saved description of the lab, if there is one.
  public func state() throws -> LabState? { try LabState.load(from: files.state) }

  /// Stops every host — its sshd, every process that sshd forked, and, for an isolated host,
  /// every process left in its namespace (haproxy, daemons a playbook started) — and removes
  /// the PID files; a lab that is not running (or not there) is fine. The hosts' files stay
  /// until the next `up` of a new lab.
  public func down(log: (String) -> Void = { _ in }) throws -> LabDownReport {
    let began = ContinuousClock.now
    guard FileManager.default.fileExists(atPath: files.state) else {
      return LabDownReport(stopped: [], leftover: [])
    }
    return try LabLock.holding(files.lock) {
      guard var state = try LabState.load(from: files.state) else {
        return LabDownReport(stopped: [], leftover: [])
      }
      var stopped: [String] = []
      var leftover: [Int32] = []
      let result = stopHosts(state.hosts.map(\.name), of: state)
      leftover += result.leftover
      for host in state.hosts where result.stopped[host.name] != nil {
        stopped.append(host.name)
        log("stopped \(host.name) (\(host.address):\(host.port))")
      }
      state.stopped = []
      try state.save(to: files.state)
      return LabDownReport(
        stopped: stopped, leftover: leftover, elapsed: ContinuousClock.now - began)
    }
  }

  // MARK: - Planning

  /// Whether the hosts of a lab for `options` get their own namespaces: always for a cluster
  /// lab (root needed), for a plain lab unless `shared` or not root.
  static func isolation(for options: LabOptions, log: (String) -> Void) throws -> Bool {
    if options.shape != nil {
      guard !options.shared else {
        throw LabError("--shared is for plain labs: a cluster lab's hosts are always isolated")
      }
      if let error = LabIsolation.unavailable(requireSudo: true) { throw error }
      return true
    }
    if options.shared { return false }
    guard LabUser.isRoot else {
      log("not root: the hosts share this machine's files and hostname (isolating them needs root)")
      return false
    }
    if let error = LabIsolation.unavailable(requireSudo: false) { throw error }
    if !LabIsolation.hasSudo { log("no sudo here: the hosts' ubuntu user has no sudo") }
    return true
  }

  /// `a stacked lab (7 hosts, user root)`, `an external lab (10 hosts, user root)`, `a lab of
  /// 3 shared hosts (user me)`.
  static func describe(_ state: LabState) -> String {
    let user = "user \(state.user)"
    if let shape = state.shape {
      let article = shape.topology == "external" ? "an" : "a"
      return "\(article) \(shape.topology) lab (\(state.hosts.count) hosts, \(user))"
    }
    let kind = state.isolated ? "isolated" : "shared"
    return "a lab of \(state.hosts.count) \(kind) hosts (\(user))"
  }

  /// A lab counts as running while a host runs or was stopped on purpose: `up` then restarts
  /// what is down and keeps the hosts' files and clock; otherwise `up` makes a new lab.
  func isActive(_ state: LabState) -> Bool {
    !state.stopped.isEmpty || state.hosts.contains { isRunning($0.name, state) }
  }

  /// A new lab's hosts: addresses from `firstAddress`, port 22 as root (unless taken or
  /// `freePorts`), else a free port.
  private func plan(
    _ options: LabOptions, user: String, isolated: Bool, log: (String) -> Void
  ) throws -> LabState {
    let names = options.shape?.names ?? (1...options.hosts).map { "node\($0)" }
    let addresses = try LabNetwork.addresses(from: options.firstAddress, count: names.count)
    var hosts: [LabState.HostRecord] = []
    for (name, address) in zip(names, addresses) {
      var port = 22
      if !LabUser.isRoot || options.freePorts || !LabNetwork.isFree(address, 22) {
        if LabUser.isRoot && !options.freePorts {
          log("\(address):22 is in use; \(name) gets a free port")
        }
        port = try LabNetwork.freePort(on: address)
      }
      hosts.append(.init(name: name, address: address, port: port))
    }
    if options.shape != nil, let lb = addresses.first,
      !LabNetwork.isFree(lb, LabShape.apiServerPort)
    {
      throw LabError(
        "\(lb):\(LabShape.apiServerPort) is in use: the load balancer cannot listen there",
        hint: "stop what listens there, or move the lab with --first-address")
    }
    return LabState(hosts: hosts, user: user, shape: options.shape, isolated: isolated)
  }

  /// Keys, configurations, the hosts' own directories (emptied for a new lab), haproxy's
  /// configuration, known_hosts, inventories and `lab.json`.
  private func prepareFiles(_ state: LabState, writeConfigs names: [String], fresh: Bool) throws {
    try LabFiles.makeDirectory(files.directory + "/hosts", mode: 0o755)
    try LabKeys.ensureClientKey(files)
    let users = Array(Set(["root", LabUser.ubuntu, state.user]))
    for host in state.hosts {
      try LabFiles.makeDirectory(files.host(host.name), mode: 0o755)
      try LabKeys.ensureHostKey(files.hostKey(host.name), host: host.name)
      try LabFiles.write(LabClock.fileText(state.clockOffsetSeconds), to: files.clock(host.name))
      guard names.contains(host.name) else { continue }
      var config = SSHDConfig(
        address: host.address, port: host.port, hostKey: files.hostKey(host.name),
        authorizedKeys: files.authorizedKeys, keysCommand: LabUser.isRoot && state.user != "root")
      if state.isolated {
        try LabIsolation.prepare(
          host: host, of: state, files: files, users: users, fresh: fresh)
        if state.shape != nil, executable != nil { try LabKubelet.linkCommands(host.name, files) }
        let keys = LabFiles.read(files.authorizedKeys) ?? ""
        try LabFiles.write(keys, to: files.hostAuthorizedKeys(host.name))
        let view = files.view(host.name)
        config.hostKey = view + "/host_ed25519"
        config.authorizedKeys = view + "/authorized_keys"
        config.keysCommand = true
        config.clockFile = view + "/" + LabFiles.clockFile
        if state.shape != nil {
          try LabManifests.write(into: files.host(host.name) + "/" + LabManifests.directory)
          config.manifests = view + "/" + LabManifests.directory
        }
      } else {
        let locks = files.host(host.name) + "/lock"
        try LabFiles.makeDirectory(locks, mode: 0o1777)
        chmod(locks, 0o1777)
        config.lockDirectory = locks
      }
      try LabFiles.write(config.text, to: files.config(host.name))
    }
    if let shape = state.shape, let lb = state.host(named: LabShape.loadBalancer) {
      let backends = shape.controlPlaneNames.compactMap { name in
        state.host(named: name).map { (name, $0.address) }
      }
      try LabFiles.write(
        LabHAProxy.config(address: lb.address, backends: backends),
        to: files.component(lb.name, "haproxy.cfg"))
    }
    try LabKeys.writeKnownHosts(state, files)
    try state.save(to: files.state)
    try LabFiles.write(LabInventory.ini(state, files), to: files.inventoryINI)
    try LabFiles.write(LabInventory.haflow(state, files), to: files.inventoryHF)
  }
}
