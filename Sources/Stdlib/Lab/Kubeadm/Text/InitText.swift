/// What `kubeadm init` prints after its phases: the "initialized successfully" text with the
/// join commands (T01 wording up to v1.31, T02 from v1.32).
public struct InitDoneText: Sendable, Equatable {
  /// The release whose wording to use.
  public var release: KubeadmRelease
  /// Whether `controlPlaneEndpoint` is set (only then is a control-plane join shown).
  public var hasControlPlaneEndpoint: Bool
  /// Whether certificates were uploaded (`--upload-certs`).
  public var uploadCerts: Bool
  /// The control-plane join command.
  public var joinControlPlane: JoinCommand
  /// The worker join command.
  public var joinWorker: JoinCommand
  /// The admin kubeconfig the text tells users to copy.
  public var kubeconfigPath = "/etc/kubernetes/admin.conf"

  /// The text for one token, as rendered from the given parts.
  public init(
    release: KubeadmRelease, hasControlPlaneEndpoint: Bool, uploadCerts: Bool,
    joinControlPlane: JoinCommand, joinWorker: JoinCommand
  ) {
    self.release = release
    self.hasControlPlaneEndpoint = hasControlPlaneEndpoint
    self.uploadCerts = uploadCerts
    self.joinControlPlane = joinControlPlane
    self.joinWorker = joinWorker
  }

  /// The text, starting with an empty line and ending with the worker command and a newline.
  public var text: String {
    var out = """

      Your Kubernetes control-plane has initialized successfully!

      To start using your cluster, you need to run the following as a regular user:

        mkdir -p $HOME/.kube
        sudo cp -i \(kubeconfigPath) $HOME/.kube/config
        sudo chown $(id -u):$(id -g) $HOME/.kube/config

      Alternatively, if you are the root user, you can run:

        export KUBECONFIG=/etc/kubernetes/admin.conf

      You should now deploy a pod network to the cluster.
      Run "kubectl apply -f [podnetwork].yaml" with one of the options listed at:
        https://kubernetes.io/docs/concepts/cluster-administration/addons/


      """
    if hasControlPlaneEndpoint {
      if uploadCerts {
        let nodes = release.minor >= 32 ? "control-plane nodes" : "the control-plane node"
        out += """
          You can now join any number of \(nodes) running the following command on each as root:

            \(joinControlPlane.text)

          Please note that the certificate-key gives access to cluster sensitive data, keep it secret!
          As a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can use
          "kubeadm init phase upload-certs --upload-certs" to reload certs afterward.


          """
      } else {
        out += """
          You can now join any number of control-plane nodes by copying certificate authorities
          and service account keys on each node and then running the following as root:

            \(joinControlPlane.text)


          """
      }
    }
    out +=
      "Then you can join any number of worker nodes by running the following on each as root:\n\n"
    return out + joinWorker.text + "\n"
  }
}

/// The `[upload-certs]` lines.
public enum UploadCertsText {
  /// After a successful upload (the key line is left out with `--skip-certificate-key-print`).
  public static func uploaded(key: String, printKey: Bool = true) -> [String] {
    let stored =
      "[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace"
    return printKey ? [stored, "[upload-certs] Using certificate key:", key] : [stored]
  }

  /// Without `--upload-certs`.
  public static let skipped = "[upload-certs] Skipping phase. Please see --upload-certs"
}
