/// The lines kubeadm's init phases print around the files they write (LAB-FIDELITY.md §3.1),
/// for the slices that will run the phases for real. The certs, kubeconfig, etcd and
/// control-plane lines come from the writers themselves.
public enum InitPhaseText {
  /// `[init] Using Kubernetes version: …`.
  public static func version(_ version: String) -> String {
    "[init] Using Kubernetes version: \(version)"
  }

  /// The preflight phase (no warnings; each warning would be a `\t[WARNING …]` line on stderr).
  public static let preflight = [
    "[preflight] Running pre-flight checks",
    "[preflight] Pulling images required for setting up a Kubernetes cluster",
    "[preflight] This might take a minute or two, depending on the speed of your internet connection",
    "[preflight] You can also perform this action beforehand using 'kubeadm config images pull'",
  ]

  /// `kubelet-start` at init (the flags file first).
  public static let kubeletStart = [
    "[kubelet-start] Writing kubelet environment file with flags to file \"/var/lib/kubelet/kubeadm-flags.env\"",
    "[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"",
    "[kubelet-start] Starting the kubelet",
  ]

  /// `[kubelet-check]` while waiting for the kubelet, healthy after `seconds`.
  public static func kubeletCheck(healthyAfter seconds: Double) -> [String] {
    [
      "[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s",
      "[kubelet-check] The kubelet is healthy after \(GoDuration.format(seconds))",
    ]
  }

  /// `wait-control-plane`: the kubelet, then the API server.
  public static func waitControlPlane(
    kubeletHealthyAfter kubelet: Double, apiServerHealthyAfter api: Double
  )
    -> [String]
  {
    [
      "[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from "
        + "directory \"/etc/kubernetes/manifests\""
    ] + kubeletCheck(healthyAfter: kubelet) + [
      "[api-check] Waiting for a healthy API server. This can take up to 4m0s",
      "[api-check] The API server is healthy after \(GoDuration.format(api))",
    ]
  }

  /// `upload-config`.
  public static let uploadConfig = [
    "[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\" in the \"kube-system\" Namespace",
    "[kubelet] Creating a ConfigMap \"kubelet-config\" in namespace kube-system with the configuration for "
      + "the kubelets in the cluster",
  ]

  /// `mark-control-plane` for `node`.
  public static func markControlPlane(_ node: String) -> [String] {
    [
      "[mark-control-plane] Marking the node \(node) as control-plane by adding the labels: "
        + "[node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]",
      "[mark-control-plane] Marking the node \(node) as control-plane by adding the taints "
        + "[node-role.kubernetes.io/control-plane:NoSchedule]",
    ]
  }

  /// `bootstrap-token` with the token it prints.
  public static func bootstrapToken(_ token: String) -> [String] {
    bootstrapTokens([token])
  }

  /// `bootstrap-token` with the tokens it prints: `Using token: T` for one, Go's `%v` of the
  /// list for several (`Using tokens: [T1 T2]`), no such line for none
  /// (`--skip-token-print`).
  public static func bootstrapTokens(_ tokens: [String]) -> [String] {
    var using: [String] = []
    if tokens.count == 1 {
      using = ["[bootstrap-token] Using token: \(tokens[0])"]
    } else if tokens.count > 1 {
      using = ["[bootstrap-token] Using tokens: [\(tokens.joined(separator: " "))]"]
    }
    return using + [
      "[bootstrap-token] Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles",
      "[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes",
      "[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for "
        + "nodes to get long term certificate credentials",
      "[bootstrap-token] Configured RBAC rules to allow the csrapprover controller automatically approve "
        + "CSRs from a Node Bootstrap Token",
      "[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node client "
        + "certificates in the cluster",
      "[bootstrap-token] Creating the \"cluster-info\" ConfigMap in the \"kube-public\" namespace",
    ]
  }

  /// `kubelet-finalize` and the addons.
  public static let finish = [
    "[kubelet-finalize] Updating \"/etc/kubernetes/kubelet.conf\" to point to a rotatable kubelet client "
      + "certificate and key",
    "[addons] Applied essential addon: CoreDNS",
    "[addons] Applied essential addon: kube-proxy",
  ]
}

/// What `kubeadm join` prints (LAB-FIDELITY.md §3.2).
public enum JoinText {
  /// The first preflight lines; v1.32 names the ConfigMap.
  public static func preflight(_ release: KubeadmRelease) -> [String] {
    let reading =
      release.minor >= 32
      ? [
        "[preflight] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...",
        "[preflight] Use 'kubeadm init phase upload-config --config your-config.yaml' to re-upload it.",
      ]
      : [
        "[preflight] Reading configuration from the cluster...",
        "[preflight] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'",
      ]
    return ["[preflight] Running pre-flight checks"] + reading
  }

  /// A control plane's extra preflight and the certificate download.
  public static let controlPlanePreflight =
    ["[preflight] Running pre-flight checks before initializing the new control plane instance"]
    + Array(InitPhaseText.preflight.dropFirst())

  /// Before the Secret is read.
  public static let downloadingCerts =
    "[download-certs] Downloading the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace"

  /// `kubelet-start` at join (the configuration first), through the TLS bootstrap.
  public static func kubeletStart(healthyAfter seconds: Double) -> [String] {
    [
      "[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"",
      "[kubelet-start] Writing kubelet environment file with flags to file \"/var/lib/kubelet/kubeadm-flags.env\"",
      "[kubelet-start] Starting the kubelet",
    ] + InitPhaseText.kubeletCheck(healthyAfter: seconds) + [
      "[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap"
    ]
  }

  /// Joining stacked etcd: the member is announced, its manifest written, then awaited.
  public static let etcdMemberAnnounced =
    "[etcd] Announced new etcd member joining to the existing etcd cluster"

  /// After the etcd manifest.
  public static let etcdWaiting =
    "[etcd] Waiting for the new etcd member to join the cluster. This can take up to 40s"

  /// `check-etcd`.
  public static let checkEtcd = "[check-etcd] Checking that the etcd cluster is healthy"

  /// A worker's closing text (starts and ends with an empty line).
  public static let workerDone = """

    This node has joined the cluster:
    * Certificate signing request was sent to apiserver and a response was received.
    * The Kubelet was informed of the new secure connection details.

    Run 'kubectl get nodes' on the control-plane to see this node join the cluster.


    """

  /// A control plane's closing text; the etcd line only for stacked etcd.
  public static func controlPlaneDone(localEtcd: Bool) -> String {
    let etcd = localEtcd ? "* A new etcd member was added to the local/stacked etcd cluster.\n" : ""
    return """

      This node has joined the cluster and a new control plane instance was created:

      * Certificate signing request was sent to apiserver and approval was received.
      * The Kubelet was informed of the new secure connection details.
      * Control plane label and taint were applied to the new node.
      * The Kubernetes control plane instances scaled up.

      """ + etcd + """

        To start administering your cluster from this node, you need to run the following as a regular user:

        \tmkdir -p $HOME/.kube
        \tsudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config
        \tsudo chown $(id -u):$(id -g) $HOME/.kube/config

        Run 'kubectl get nodes' to see this node join the cluster.


        """
  }
}
