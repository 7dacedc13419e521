/// A `kubeadm join` command as kubeadm prints it (v1.21+ template: `\` continuations, one TAB
/// before each continued line, a space after every hash).
public struct JoinCommand: Sendable, Equatable {
  /// `host:port` of the control-plane endpoint (the admin kubeconfig's server without
  /// `https://`).
  public var endpoint: String
  /// The bootstrap token.
  public var token: String
  /// One `sha256:…` per CA pin.
  public var caCertHashes: [String]
  /// Whether this joins a control plane.
  public var controlPlane: Bool
  /// The certificate key, for a control plane joining with uploaded certificates.
  public var certificateKey: String?

  /// A join command.
  public init(
    endpoint: String, token: String, caCertHashes: [String], controlPlane: Bool = false,
    certificateKey: String? = nil
  ) {
    self.endpoint = endpoint
    self.token = token
    self.caCertHashes = caCertHashes
    self.controlPlane = controlPlane
    self.certificateKey = certificateKey
  }

  /// The multi-line form `kubeadm init` prints.
  public var text: String {
    var out = "kubeadm join \(endpoint) --token \(token) \\\n\t"
    for hash in caCertHashes { out += "--discovery-token-ca-cert-hash \(hash) " }
    if controlPlane {
      out += "\\\n\t--control-plane "
      if let certificateKey, !certificateKey.isEmpty {
        out += "--certificate-key \(certificateKey)"
      }
    }
    return out
  }

  /// The one-line form `kubeadm token create --print-join-command` prints (continuations and
  /// TABs removed; a worker's command keeps the space after its last hash).
  public var singleLine: String {
    text.replacingOccurrences(of: "\\\n", with: "").replacingOccurrences(of: "\t", with: "")
  }
}
