import Foundation
import Testing

/// The kubeadm reference (`../shared/reference/kubeadm`, or `$HAFLOW_REFERENCE`) and init
/// transcripts rendered from its templates, one per layout kubeadm has printed.
enum KubeadmReference {
  /// The reference directory beside the repository.
  static let directory: String = {
    if let path = ProcessInfo.processInfo.environment["HAFLOW_REFERENCE"] { return path }
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let beside = repository.deletingLastPathComponent().appendingPathComponent(
      "shared/reference/kubeadm"
    ).path
    return FileManager.default.fileExists(atPath: beside)
      ? beside : "/work/shared/reference/kubeadm"
  }()

  /// A published output without its `# source:` line, and that source.
  static func output(_ name: String) throws -> (text: String, source: String) {
    let text = try String(contentsOfFile: directory + "/outputs/" + name, encoding: .utf8)
    guard let newline = text.firstIndex(of: "\n"), text.hasPrefix("# source: ") else {
      Issue.record("\(name) has no '# source:' line")
      return (text, "")
    }
    return (String(text[text.index(after: newline)...]), String(text[..<newline]))
  }

  /// Every published output's file name.
  static func outputNames() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory + "/outputs").filter {
      $0.hasSuffix(".txt")
    }.sorted()
  }
}

/// `kubeadm init`'s closing message as each version printed it, rendered from the reference
/// templates named in each case (T01, T02, T04–T08, T14) with the values below.
enum InitTranscript: String, CaseIterable, Sendable {
  /// ≤ v1.13 (T08): "master", one single-line join for every node.
  case v113
  /// v1.14 betas (T07): single-line joins with `--experimental-control-plane`.
  case v114beta
  /// v1.14.0 (T06): `\`-continued joins indented 4 spaces, `--experimental-control-plane`.
  case v114
  /// v1.15.0 (T06 + T14): still `--experimental-control-plane`, the deprecated-flag line first.
  case v1150
  /// v1.15.1–v1.19 (T05 + T14): `--control-plane`, 4 spaces.
  case v118
  /// v1.20 (T05 + the root-user block of T01): 4 spaces.
  case v120
  /// v1.21–v1.31 (T04 + T01): one tab.
  case v124
  /// v1.27 copied from a terminal (T04 + T01): the tab became 8 spaces.
  case v127pasted
  /// v1.32+ (T04 + T02): "control-plane nodes running".
  case v132

  static let endpoint = "lb.cluster.internal:6443"
  static let token = "9a08jv.c0izixklcxtmnze7"
  static let hash = "sha256:4d170b1dfb24229319e0439a052b3cb56d02b152fc5903a4e4753e4fa76f8aca"
  static let key = "f8d1c027c01baef6985ddf24266641b7c64f9fd922b15a32fce40b6b4b21e47d"

  /// Whether a control-plane join carries `--experimental-control-plane`.
  var experimental: Bool { [.v114beta, .v114, .v1150].contains(self) }

  /// The indentation of continuation lines; nil for single-line joins.
  var indent: String? {
    switch self {
    case .v113, .v114beta: nil
    case .v114, .v1150, .v118, .v120: "    "
    case .v124, .v132: "\t"
    case .v127pasted: "        "
    }
  }

  /// A join command as the version's template renders it.
  func join(controlPlane: Bool, key: String?) -> String {
    let flag = experimental ? "--experimental-control-plane" : "--control-plane"
    guard let indent else {
      var line =
        "kubeadm join \(Self.endpoint) --token \(Self.token) --discovery-token-ca-cert-hash \(Self.hash)"
      if controlPlane { line += " \(flag)" + (key.map { " --certificate-key \($0)" } ?? "") }
      return line
    }
    var text = "kubeadm join \(Self.endpoint) --token \(Self.token) \\\n"
    text += "\(indent)--discovery-token-ca-cert-hash \(Self.hash) "
    if controlPlane {
      text += "\\\n\(indent)\(flag) " + (key.map { "--certificate-key \($0)" } ?? "")
    }
    return text
  }

  /// The closing message of `kubeadm init`: with a control-plane endpoint and
  /// `--upload-certs` (`key`), or without them.
  func render(controlPlaneEndpoint: Bool = true, key: String? = InitTranscript.key) -> String {
    if self == .v113 {
      return """
        [bootstraptoken] creating the "cluster-info" ConfigMap in the "kube-public" namespace
        [addons] Applied essential addon: CoreDNS

        Your Kubernetes master has initialized successfully!

        To start using your cluster, you need to run the following as a regular user:

          mkdir -p $HOME/.kube
          sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config
          sudo chown $(id -u):$(id -g) $HOME/.kube/config

        You should now deploy a pod network to the cluster.
        Run "kubectl apply -f [podnetwork].yaml" with one of the options listed at:
          https://kubernetes.io/docs/concepts/cluster-administration/addons/

        You can now join any number of machines by running the following on each node
        as root:

          \(join(controlPlane: false, key: nil))

        """
    }
    if self == .v114beta {
      let heading =
        key != nil
        ? "You can now join any number of control-plane node running the following command on each as a root:"
        : "You can now join any number of control-plane node by copying the required certificate authorities on each node and then running the following as root:"
      var text = """
        Your Kubernetes control-plane has initialized successfully!

        You should now deploy a pod network to the cluster.

        """
      if controlPlaneEndpoint {
        text += heading + "\n  " + join(controlPlane: true, key: key) + "\n\n"
        if key != nil {
          text += """
              Please note that the certificate-key gives access to cluster sensitive data, keep it secret!
              As a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can use kubeadm init phase upload-certs to reload certs afterward.

            """
        }
      }
      text +=
        "  Then you can join any number of worker nodes by running the following on each as root:\n"
      text += "  " + join(controlPlane: false, key: nil) + "\n"
      return text
    }
    var text = ""
    if self == .v1150 {
      text += "Flag --experimental-upload-certs has been deprecated, use --upload-certs instead\n"
    }
    if key != nil {
      let storage = [.v114].contains(self) ? "ConfigMap" : "Secret"
      text += """
        [upload-certs] Storing the certificates in \(storage) "kubeadm-certs" in the "kube-system" Namespace
        [upload-certs] Using certificate key:
        \(key!)

        """
    }
    text += """
      [bootstrap-token] Using token: \(Self.token)
      [addons] Applied essential addon: kube-proxy

      Your Kubernetes control-plane has initialized successfully!

      To start using your cluster, you need to run the following as a regular user:

        mkdir -p $HOME/.kube
        sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config
        sudo chown $(id -u):$(id -g) $HOME/.kube/config


      """
    if ![.v114, .v1150, .v118].contains(self) {
      text += """
        Alternatively, if you are the root user, you can run:

          export KUBECONFIG=/etc/kubernetes/admin.conf


        """
    }
    text += """
      You should now deploy a pod network to the cluster.
      Run "kubectl apply -f [podnetwork].yaml" with one of the options listed at:
        https://kubernetes.io/docs/concepts/cluster-administration/addons/


      """
    if controlPlaneEndpoint {
      if key != nil {
        let nodes =
          self == .v132
          ? "control-plane nodes running" : "the control-plane node running"
        let reload =
          [.v114].contains(self)
          ? "\"kubeadm init phase upload-certs --experimental-upload-certs\" to reload certs afterward."
          : "\"kubeadm init phase upload-certs --upload-certs\" to reload certs afterward."
        text += """
          You can now join any number of \(nodes) the following command on each as root:

            \(join(controlPlane: true, key: key))

          Please note that the certificate-key gives access to cluster sensitive data, keep it secret!
          As a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can use
          \(reload)


          """
      } else {
        text += """
          You can now join any number of control-plane nodes by copying certificate authorities
          and service account keys on each node and then running the following as root:

            \(join(controlPlane: true, key: nil))


          """
      }
    }
    text += """
      Then you can join any number of worker nodes by running the following on each as root:

      \(join(controlPlane: false, key: nil))

      """
    return text
  }
}
