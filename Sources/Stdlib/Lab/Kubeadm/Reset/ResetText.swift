/// What `kubeadm reset` prints (LAB-FIDELITY.md §3.3; `cmd/kubeadm/app/cmd/reset.go`,
/// `phases/reset/{preflight,removeetcdmember,cleanupnode}.go`).
public enum ResetText {
  /// The klog warning before the prompt (without `-f`).
  public static let warning =
    "[reset] WARNING: Changes made to this host by 'kubeadm init' or 'kubeadm join' will be reverted."
  /// The prompt, printed without a newline.
  public static let prompt = "[reset] Are you sure you want to proceed? [y/N]: "
  /// The phase error of an answer other than `y`.
  public static let aborted = "aborted reset operation"
  /// The preflight phase's line.
  public static let preflight = "[preflight] Running pre-flight checks"
  /// The klog warning when the cluster's configuration could not be read.
  public static let noConfig =
    "[reset] No kubeadm config, using etcd pod spec to get data directory"
  /// A worker, or a node without an etcd manifest.
  public static let noEtcd = [
    "[reset] No etcd config found. Assuming external etcd",
    "[reset] Please, manually reset etcd to prevent further issues",
  ]
  /// The lines of the cleanup phase (the kubelet, the directories, the files).
  public static let stoppingKubelet = "[reset] Stopping the kubelet service"

  /// `[reset] Deleted contents of the etcd data directory: DIR`.
  public static func deletedEtcd(_ directory: String) -> String {
    "[reset] Deleted contents of the etcd data directory: \(directory)"
  }

  /// `[reset] Unmounting mounted directories in "DIR"`.
  public static func unmounting(_ directory: String) -> String {
    "[reset] Unmounting mounted directories in \(GoQuote.quote(directory))"
  }

  /// `[reset] Deleting contents of directories: [a b c]` (Go's `%v` of a slice).
  public static func deletingDirectories(_ directories: [String]) -> String {
    "[reset] Deleting contents of directories: [\(directories.joined(separator: " "))]"
  }

  /// `[reset] Deleting files: [a b c]`.
  public static func deletingFiles(_ files: [String]) -> String {
    "[reset] Deleting files: [\(files.joined(separator: " "))]"
  }

  /// The lines `FetchInitConfigurationFromCluster(…, "reset", …)` prints before it asks the
  /// API server (the v1.32 wording names the ConfigMap, as join's does).
  public static func readingConfiguration(_ release: KubeadmRelease) -> [String] {
    JoinText.preflight(release).dropFirst().map {
      "[reset]" + $0.dropFirst("[preflight]".count)
    }
  }

  /// The klog warning when that read fails (the API server is unreachable).
  public static func unableToFetch(_ reason: String) -> String {
    "[reset] Unable to fetch the kubeadm-config ConfigMap from cluster: \(reason)"
  }

  /// The klog warning when the etcd member could not be removed.
  public static func memberNotRemoved(_ reason: String) -> String {
    "[reset] Failed to remove etcd member: \(reason), please manually remove this etcd member using etcdctl"
  }

  /// What reset does not do, printed after every phase succeeded (`cniCleanupInstructions`
  /// then `iptablesCleanupInstructions`, each a dedented block with a leading newline).
  public static let cleanupInstructions = """

    The reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d

    The reset process does not reset or clean up iptables rules or IPVS tables.
    If you wish to reset iptables, you must do so manually by using the "iptables" command.

    If your cluster was setup to utilize IPVS, run ipvsadm --clear (or similar)
    to reset your system's IPVS tables.

    The reset process does not clean your kubeconfig files and you must remove them manually.
    Please, check the contents of the $HOME/.kube/config file.

    """
}
