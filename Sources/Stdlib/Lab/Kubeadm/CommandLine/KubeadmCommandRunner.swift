import Foundation

/// Runs one parsed `kubeadm` command.
struct KubeadmCommandRunner {
  let context: KubeadmContext
  let output: KubeadmOutput
  let flags: ParsedFlags

  func run(path: [String]) throws(KubeadmFailure) {
    switch path {
    case ["version"]: try version()
    case ["certs", "certificate-key"]: output.out(CertificateKey.generate().text + "\n")
    case ["token", "generate"]: output.out(BootstrapToken.generate().description + "\n")
    case ["token", "create"]: try tokenCreateRun()
    case ["token", "list"]: try tokenListRun()
    case ["token", "delete"]: try tokenDeleteRun()
    case ["init"]:
      try KubeadmInit(runner: self, config: try initConfiguration()).run()
    case ["join"]:
      let settings = try JoinValidation(flags: flags, context: context).validate()
      let ignore = try KubeadmPreflight.ignoreSet(flags.list("ignore-preflight-errors"))
      try KubeadmJoin(context: context, output: output, settings: settings, ignore: ignore).run()
    case ["reset"]: try reset()
    case ["init", "phase", "upload-certs"]:
      let config = try initConfiguration()
      guard flags.bool("upload-certs") else {
        output.out(UploadCertsText.skipped + "\n")
        return
      }
      try uploadCertsPhaseRun(config: config)
    case ["init", "phase", "etcd", "local"]: try etcdLocal()
    default:
      guard path.count == 4, path[0] == "init", path[1] == "phase" else {
        throw KubeadmFailure("unknown command \(GoQuote.quote(path.joined(separator: " ")))")
      }
      try phase(path[2], path[3])
    }
  }

  // MARK: preflight, reset

  /// `[preflight] Running pre-flight checks` and `checks`; a failure is the preflight phase's.
  func preflight(_ checks: [KubeadmPreflight.Check], ignore: Set<String>)
    throws(KubeadmFailure)
  {
    output.out("[preflight] Running pre-flight checks\n")
    do throws(KubeadmError) {
      try KubeadmPreflight.check(
        checks, host: context.host, ignore: ignore, isRoot: context.isRoot, warn: output.err)
    } catch {
      throw KubeadmFailure("error execution phase preflight: " + error.message)
    }
  }

  private func reset() throws(KubeadmFailure) {
    try checkMixedArguments()
    if flags.bool("dry-run") {
      throw KubeadmFailure(
        "haflow's kubeadm stand-in: \"kubeadm reset --dry-run\" is not part of the lab's "
          + "subset; nothing was changed", status: KubeadmCLI.notBuiltStatus)
    }
    var reset = KubeadmReset(host: context.host, release: context.release)
    reset.force = flags.bool("force")
    reset.ignore = try KubeadmPreflight.ignoreSet(flags.list("ignore-preflight-errors"))
    reset.skipPhases = Set(flags.list("skip-phases"))
    reset.cleanupTemporaryDirectory = flags.bool("cleanup-tmp-dir")
    if let directory = flags.string("cert-dir"), !directory.isEmpty {
      reset.certificatesDirectory = directory
    }
    if let path = flags.string("kubeconfig"), !path.isEmpty { reset.kubeconfig = path }
    reset.cluster = .api(
      host: context.host, kubeconfig: reset.kubeconfig, release: context.release,
      nodeName: context.hostname.lowercased(), advertiseAddress: context.advertiseAddress)
    reset.isRoot = context.isRoot
    reset.readAnswer = context.readLine
    reset.now = context.now
    if context.host.root.isEmpty {
      // A lab host: `systemctl stop kubelet` freezes the host's own kubelet.
      reset.stopKubelet = {
        KubeletService.run(["stop", "kubelet"], out: { _ in }, err: { _ in }) == 0
          ? nil : "exit status 1"
      }
    }
    try reset.run(output: output)
  }

  // MARK: version, token

  private func version() throws(KubeadmFailure) {
    let release = context.release
    switch flags.string("output") ?? "" {
    case "": output.out(release.versionLine)
    case "short": output.out(release.gitVersion + "\n")
    case "yaml": output.out(release.versionYAML)
    case "json": output.out(release.versionJSON)
    case let other: throw KubeadmFailure("invalid output format: \(other)")
    }
  }

  // MARK: init and its phases

  /// `ValidateMixedArguments`: with `--config`, only a few flags may be given.
  func checkMixedArguments() throws(KubeadmFailure) {
    guard flags.changed("config") else { return }
    let allowed: Set<String> = [
      "config", "ignore-preflight-errors", "dry-run", "kubeconfig", "node-name", "kubeconfig-dir",
      "upload-certs", "print-join-command", "rootfs", "v", "log-file",
    ]
    let mixed = flags.changedNames.filter { !allowed.contains($0) && !$0.hasPrefix("skip-") }
    if !mixed.isEmpty {
      throw KubeadmFailure("can not mix '--config' with arguments \(GoQuote.list(mixed))")
    }
  }

  /// The configuration `init` and its phases act on.
  func initConfiguration() throws(KubeadmFailure) -> InitConfiguration {
    try checkMixedArguments()
    var initFlags = InitFlags()
    initFlags.advertiseAddress = flags.string("apiserver-advertise-address")
    initFlags.bindPort = flags.string("apiserver-bind-port").flatMap { Int($0) }
    initFlags.controlPlaneEndpoint = flags.string("control-plane-endpoint")
    initFlags.podNetworkCIDR = flags.string("pod-network-cidr")
    initFlags.serviceCIDR = flags.string("service-cidr")
    initFlags.serviceDNSDomain = flags.string("service-dns-domain")
    initFlags.kubernetesVersion = flags.string("kubernetes-version")
    initFlags.certSANs =
      flags.changed("apiserver-cert-extra-sans") ? flags.list("apiserver-cert-extra-sans") : nil
    initFlags.nodeName = flags.string("node-name")
    initFlags.certDir = flags.string("cert-dir")
    initFlags.token = flags.string("token")
    if let ttl = flags.string("token-ttl"), case .success(let seconds) = GoDuration.parse(ttl) {
      initFlags.tokenTTL = seconds
    }
    initFlags.certificateKey = flags.string("certificate-key")
    let file = try configFile()
    let loader = InitConfigurationLoader(
      hostname: context.hostname, defaultAdvertiseAddress: context.advertiseAddress,
      release: context.release)
    var config = try loader.load(flags: initFlags, file: file)
    // `--node-name` is allowed beside `--config` and wins over the file.
    if file != nil, let name = flags.string("node-name") { config.node.name = name }
    return config
  }

  /// The `--config` file, if one was named.
  func configFile() throws(KubeadmFailure) -> KubeadmConfigFile? {
    guard let path = flags.string("config"), !path.isEmpty else { return nil }
    let text: String
    do {
      text = try context.readFile(path)
    } catch {
      throw KubeadmFailure(
        "unable to read config from \(GoQuote.quote(path)) : open \(path): \(KubeadmHost.readFailure(path))"
      )
    }
    do {
      return try KubeadmConfigFile.parse(text)
    } catch let error as KubeadmError {
      throw KubeadmFailure(error.message)
    } catch {
      throw KubeadmFailure("\(error)")
    }
  }

  /// Runs `work`, printing its lines; a failure becomes `error execution phase <name>: …`.
  func phaseStep(_ name: String, _ work: () throws -> [String]) throws(KubeadmFailure) {
    do {
      for line in try work() { output.out(line + "\n") }
    } catch let error as KubeadmError {
      throw KubeadmFailure("error execution phase \(name): \(error.message)")
    } catch {
      throw KubeadmFailure("error execution phase \(name): \(error)")
    }
  }

  private func phase(_ group: String, _ name: String) throws(KubeadmFailure) {
    let config = try initConfiguration()
    let now = context.now()
    switch group {
    case "certs":
      let writer = PKIWriter(host: context.host, config: config, now: now)
      if name == "all" {
        output.out("[certs] Using certificateDir folder \(GoQuote.quote(writer.directory))\n")
        for step in CertsStep.all {
          try phaseStep("certs/" + step.phase) { try writer.run(step) }
        }
      } else if let step = CertsStep.named(name) {
        try phaseStep("certs/" + name) { try writer.run(step) }
      }
    case "kubeconfig":
      let writer = KubeconfigWriter(host: context.host, config: config, now: now)
      if name == "all" {
        try phaseStep("kubeconfig") { try writer.write(KubeconfigKind.initFiles) }
      } else if let kind = KubeconfigKind(rawValue: name + ".conf") {
        try phaseStep("kubeconfig/" + name) { Array(try writer.write([kind]).dropFirst()) }
      }
    case "control-plane":
      let writer = StaticPodWriter(host: context.host, config: config, release: context.release)
      if name == "all" {
        try phaseStep("control-plane") { try writer.writeControlPlane() }
      } else {
        let component: StaticPodComponent =
          name == "apiserver" ? .apiServer : name == "scheduler" ? .scheduler : .controllerManager
        try phaseStep("control-plane/" + name) {
          try writer.writeControlPlane(only: component)
        }
      }
    default:
      throw KubeadmFailure("unknown command \(GoQuote.quote(group))")
    }
  }

  private func etcdLocal() throws(KubeadmFailure) {
    let config = try initConfiguration()
    if config.cluster.usesExternalEtcd {
      output.out("[etcd] External etcd mode: Skipping etcd static pod generation\n")
      return
    }
    let writer = StaticPodWriter(host: context.host, config: config, release: context.release)
    try phaseStep("etcd/local") { try writer.writeEtcd() }
  }
}
