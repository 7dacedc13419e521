/// kubeadm's command tree and flags, for the commands the stand-in knows.
enum KubeadmCommands {
  /// Flags every command takes (klog's and `--rootfs`).
  static let globalFlags: [FlagSpec] = [
    FlagSpec("v", .int, shorthand: "v"), FlagSpec("rootfs", .string), FlagSpec("log-file", .string),
    FlagSpec("log-file-max-size", .int), FlagSpec("skip-headers", .bool),
    FlagSpec("skip-log-headers", .bool), FlagSpec("add-dir-header", .bool),
    FlagSpec("one-output", .bool), FlagSpec("help", .bool, shorthand: "h"),
  ]

  static let certsFlags: [FlagSpec] = [
    FlagSpec("apiserver-advertise-address", .string),
    FlagSpec("apiserver-cert-extra-sans", .stringSlice),
    FlagSpec("cert-dir", .string), FlagSpec("config", .string),
    FlagSpec("control-plane-endpoint", .string),
    FlagSpec("dry-run", .bool), FlagSpec("kubernetes-version", .string),
    FlagSpec("service-cidr", .string),
    FlagSpec("service-dns-domain", .string),
  ]

  static let kubeconfigFlags: [FlagSpec] = [
    FlagSpec("apiserver-advertise-address", .string), FlagSpec("apiserver-bind-port", .int),
    FlagSpec("cert-dir", .string), FlagSpec("config", .string),
    FlagSpec("control-plane-endpoint", .string),
    FlagSpec("dry-run", .bool), FlagSpec("kubeconfig-dir", .string),
    FlagSpec("kubernetes-version", .string),
    FlagSpec("node-name", .string),
  ]

  static let controlPlaneFlags: [FlagSpec] = [
    FlagSpec("apiserver-advertise-address", .string), FlagSpec("apiserver-bind-port", .int),
    FlagSpec("cert-dir", .string), FlagSpec("config", .string),
    FlagSpec("control-plane-endpoint", .string),
    FlagSpec("dry-run", .bool), FlagSpec("feature-gates", .string),
    FlagSpec("image-repository", .string),
    FlagSpec("kubernetes-version", .string), FlagSpec("patches", .string),
    FlagSpec("pod-network-cidr", .string), FlagSpec("service-cidr", .string),
  ]

  static let initFlags: [FlagSpec] = [
    FlagSpec("apiserver-advertise-address", .string), FlagSpec("apiserver-bind-port", .int),
    FlagSpec("apiserver-cert-extra-sans", .stringSlice), FlagSpec("cert-dir", .string),
    FlagSpec("certificate-key", .string), FlagSpec("config", .string),
    FlagSpec("control-plane-endpoint", .string), FlagSpec("cri-socket", .string),
    FlagSpec("dry-run", .bool),
    FlagSpec("feature-gates", .string), FlagSpec("ignore-preflight-errors", .stringSlice),
    FlagSpec("image-repository", .string), FlagSpec("kubernetes-version", .string),
    FlagSpec("node-name", .string), FlagSpec("patches", .string),
    FlagSpec("pod-network-cidr", .string),
    FlagSpec("service-cidr", .string), FlagSpec("service-dns-domain", .string),
    FlagSpec("skip-certificate-key-print", .bool), FlagSpec("skip-phases", .stringSlice),
    FlagSpec("skip-token-print", .bool), FlagSpec("token", .string),
    FlagSpec("token-ttl", .duration),
    FlagSpec("upload-certs", .bool),
  ]

  static let joinFlags: [FlagSpec] = [
    FlagSpec("apiserver-advertise-address", .string), FlagSpec("apiserver-bind-port", .int),
    FlagSpec("certificate-key", .string), FlagSpec("config", .string),
    FlagSpec("control-plane", .bool),
    FlagSpec("cri-socket", .string), FlagSpec("discovery-file", .string),
    FlagSpec("discovery-token", .string),
    FlagSpec("discovery-token-ca-cert-hash", .stringSlice),
    FlagSpec("discovery-token-unsafe-skip-ca-verification", .bool), FlagSpec("dry-run", .bool),
    FlagSpec("ignore-preflight-errors", .stringSlice), FlagSpec("node-name", .string),
    FlagSpec("patches", .string), FlagSpec("skip-phases", .stringSlice),
    FlagSpec("tls-bootstrap-token", .string), FlagSpec("token", .string),
  ]

  static let tokenFlags: [FlagSpec] = [FlagSpec("dry-run", .bool), FlagSpec("kubeconfig", .string)]

  static let certsPhases = ["all"] + CertsStep.all.map(\.phase)
  static let kubeconfigPhases = [
    "all", "admin", "super-admin", "kubelet", "controller-manager", "scheduler",
  ]
  static let controlPlanePhases = ["all", "apiserver", "controller-manager", "scheduler"]

  /// The tree.
  static let root = CommandNode(
    "kubeadm", runs: false,
    children: [
      CommandNode("version", flags: [FlagSpec("output", .string, shorthand: "o")]),
      CommandNode(
        "init", flags: initFlags,
        children: [
          CommandNode(
            "phase", runs: false,
            children: [
              CommandNode(
                "certs", runs: false,
                children: certsPhases.map { CommandNode($0, flags: certsFlags) }),
              CommandNode(
                "kubeconfig", runs: false,
                children: kubeconfigPhases.map { CommandNode($0, flags: kubeconfigFlags) }),
              CommandNode(
                "control-plane", runs: false,
                children: controlPlanePhases.map { CommandNode($0, flags: controlPlaneFlags) }),
              CommandNode(
                "etcd", runs: false,
                children: [
                  CommandNode(
                    "local",
                    flags: [
                      FlagSpec("config", .string), FlagSpec("dry-run", .bool),
                      FlagSpec("image-repository", .string), FlagSpec("patches", .string),
                    ])
                ]),
              CommandNode(
                "upload-certs",
                flags: [
                  FlagSpec("certificate-key", .string), FlagSpec("config", .string),
                  FlagSpec("dry-run", .bool),
                  FlagSpec("kubeconfig", .string), FlagSpec("skip-certificate-key-print", .bool),
                  FlagSpec("upload-certs", .bool),
                ]),
            ])
        ]),
      CommandNode("join", flags: joinFlags, maximumArguments: 1),
      CommandNode(
        "token", flags: tokenFlags, runs: false,
        children: [
          CommandNode(
            "create",
            flags: tokenFlags + [
              FlagSpec("certificate-key", .string), FlagSpec("config", .string),
              FlagSpec("description", .string), FlagSpec("groups", .stringSlice),
              FlagSpec("print-join-command", .bool), FlagSpec("ttl", .duration),
              FlagSpec("usages", .stringSlice),
            ], maximumArguments: 1),
          CommandNode("generate", flags: tokenFlags),
          CommandNode(
            "list",
            flags: tokenFlags + [
              FlagSpec("output", .string, shorthand: "o"),
              FlagSpec("allow-missing-template-keys", .bool),
              FlagSpec("show-managed-fields", .bool),
            ]),
          CommandNode("delete", flags: tokenFlags, maximumArguments: Int.max),
        ]),
      CommandNode("certs", runs: false, children: [CommandNode("certificate-key")]),
      CommandNode(
        "reset",
        flags: [
          FlagSpec("cert-dir", .string), FlagSpec("cleanup-tmp-dir", .bool),
          FlagSpec("config", .string),
          FlagSpec("cri-socket", .string), FlagSpec("dry-run", .bool),
          FlagSpec("force", .bool, shorthand: "f"),
          FlagSpec("ignore-preflight-errors", .stringSlice), FlagSpec("kubeconfig", .string),
          FlagSpec("skip-phases", .stringSlice),
        ]),
    ])

  /// Every flag name (and shorthand) that takes a value, so the dispatcher can skip values
  /// while looking for subcommand words.
  static let valueFlagNames: Set<String> = {
    var names = Set<String>()
    func walk(_ node: CommandNode) {
      for flag in node.flags where flag.kind != .bool {
        names.insert(flag.name)
        if let letter = flag.shorthand { names.insert(String(letter)) }
      }
      node.children.forEach(walk)
    }
    walk(root)
    for flag in globalFlags where flag.kind != .bool {
      names.insert(flag.name)
      if let letter = flag.shorthand { names.insert(String(letter)) }
    }
    return names
  }()

  /// A short usage text (haflow's own; the stand-in does not reproduce kubeadm's help).
  static func usage(path: [String], node: CommandNode) -> String {
    let command = (["kubeadm"] + path).joined(separator: " ")
    var out = "Usage:\n"
    if node.runs { out += "  \(command) [flags]\n" }
    if !node.children.isEmpty { out += "  \(command) [command]\n\nAvailable Commands:\n" }
    for child in node.children { out += "  \(child.name)\n" }
    if !node.flags.isEmpty {
      out += "\nFlags:\n"
      for flag in node.flags.sorted(by: { $0.name < $1.name }) {
        let short = flag.shorthand.map { "-\($0), " } ?? "    "
        out += "  \(short)--\(flag.name)\n"
      }
    }
    return out + "\n(haflow's kubeadm stand-in for the rehearsal lab)\n"
  }
}
