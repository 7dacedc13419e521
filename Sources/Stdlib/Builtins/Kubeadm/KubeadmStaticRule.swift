import Interpreter

/// What `haflow check` (and the check at run start) knows of kubeadm before anything runs:
/// flags kubeadm refuses together, an endpoint that is not `host:port`, a pod CIDR that is not
/// a CIDR, and an even number of control-plane or etcd hosts.
public struct KubeadmStaticRule: StaticRule {
  /// Makes the rule.
  public init() {}

  /// The flags `kubeadm init` refuses beside `--config` ("can not mix '--config' with
  /// arguments …"): what the config file says instead.
  static let initFlagsBesideConfig = [
    "--certificate-key", "--control-plane-endpoint", "--pod-network-cidr", "--service-cidr",
    "--token", "--kubernetes-version", "--apiserver-advertise-address", "--apiserver-bind-port",
  ]

  /// The flags `kubeadm join` refuses beside `--config`.
  static let joinFlagsBesideConfig = [
    "--certificate-key", "--control-plane", "--experimental-control-plane", "--token",
    "--discovery-token-ca-cert-hash", "--apiserver-advertise-address",
  ]

  /// Inventory groups that hold etcd members (stacked on the control planes, or external).
  static let quorumGroups: Set<String> = [
    "control_plane", "control-plane", "controlplane", "masters", "kube_control_plane", "etcd",
  ]

  public func problems(inCommand text: String) -> [StaticProblem] {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(
      String.init)
    guard let program = words.firstIndex(where: { $0 == "kubeadm" || $0.hasSuffix("/kubeadm") }),
      program + 1 < words.count
    else { return [] }
    let subcommand = words[program + 1]
    guard subcommand == "init" || subcommand == "join" else { return [] }
    let arguments = Array(words[(program + 2)...])
    func flag(_ word: String) -> String { String(word.split(separator: "=", maxSplits: 1)[0]) }
    func value(of name: String) -> String? {
      for (index, word) in arguments.enumerated() {
        if word.hasPrefix(name + "=") { return String(word.dropFirst(name.count + 1)) }
        if word == name, index + 1 < arguments.count { return arguments[index + 1] }
      }
      return nil
    }
    var problems: [StaticProblem] = []
    let flags = arguments.filter { $0.hasPrefix("--") }.map(flag)
    if flags.contains("--config") {
      let refused = subcommand == "init" ? Self.initFlagsBesideConfig : Self.joinFlagsBesideConfig
      for name in refused where flags.contains(name) {
        problems.append(
          StaticProblem(
            "kubeadm \(subcommand) refuses --config with \(name) (\"can not mix '--config' with "
              + "arguments [\(name.dropFirst(2))]\")",
            hint: name == "--certificate-key"
              ? "put the key in the config: kubeadm.config(…, certificate_key: key)"
              : "put it in the config file instead (kubeadm.config / kubeadm.join_config)"))
      }
    }
    if let endpoint = value(of: "--control-plane-endpoint"), !endpoint.contains("${"),
      !KubeadmValidation.isControlPlaneEndpoint(endpoint)
    {
      problems.append(
        StaticProblem(
          "--control-plane-endpoint '\(endpoint)' is not host:port",
          hint: "the load balancer's address and port, like lb.example.com:6443"))
    }
    if let cidr = value(of: "--pod-network-cidr"), !cidr.contains("${"),
      !KubeadmValidation.isCIDR(cidr)
    {
      problems.append(
        StaticProblem(
          "--pod-network-cidr '\(cidr)' is not a CIDR", hint: "like 10.244.0.0/16"))
    }
    return problems
  }

  public func problems(inArgument literal: String, parameter: String, of builtin: String)
    -> [StaticProblem]
  {
    switch (builtin, parameter) {
    case ("kubeadm.config", "endpoint"):
      guard !KubeadmValidation.isControlPlaneEndpoint(literal) else { return [] }
      return [StaticProblem("'\(literal)' is not host:port", hint: "like lb.example.com:6443")]
    case ("kubeadm.join_config", "endpoint"):
      guard !KubeadmJoinCommand.looksLikeEndpoint(literal) else { return [] }
      return [StaticProblem("'\(literal)' is not host:port", hint: "like lb.example.com:6443")]
    case ("kubeadm.config", "pod_subnet"), ("kubeadm.config", "service_subnet"):
      guard !KubeadmValidation.isCIDR(literal) else { return [] }
      return [StaticProblem("'\(literal)' is not a CIDR", hint: "like 10.244.0.0/16")]
    default:
      return []
    }
  }

  public func problems(inGroup name: String, hostCount: Int) -> [StaticProblem] {
    guard Self.quorumGroups.contains(name), hostCount >= 2, hostCount % 2 == 0 else { return [] }
    let tolerated = (hostCount - 1) / 2
    return [
      StaticProblem(
        "group '\(name)' has \(hostCount) hosts: etcd needs a majority (its quorum), so "
          + "\(hostCount) members "
          + "survive \(tolerated) failure\(tolerated == 1 ? "" : "s"), no more than "
          + "\(hostCount - 1) would",
        hint: "use an odd number (3 or 5): the extra host adds a member that must be up, not "
          + "fault tolerance",
        isWarning: true)
    ]
  }
}
