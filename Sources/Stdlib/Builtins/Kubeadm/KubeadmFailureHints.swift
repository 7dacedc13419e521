/// What to do about the kubeadm failures operators meet most (LAB-FIDELITY §4.2/§4.3 of the
/// kubeadm reference): kubeadm's own error lines, recognised in whatever a failed command
/// printed, each mapped to the command or the shipped playbook that fixes it. Used by
/// `kubeadm.explain_failure` and, through `KubeadmFailureExplainer`, by every failed `kubeadm`
/// command, whose error then says what to do.
public enum KubeadmFailureHints {
  /// The hint for the first known failure in `text` (stdout, stderr or an error message), or
  /// nil when none is recognised. The order matters: the most specific cause first.
  public static func explain(_ text: String) -> String? {
    for rule in rules {
      if let hint = rule(text) { return hint }
    }
    return nil
  }

  /// One recogniser: the hint when its failure is in the text.
  typealias Rule = @Sendable (String) -> String?

  static let rules: [Rule] = [
    certificatesExpired, wrongCertificateKey, badCertificateKey, secretMissingEntry,
    controlPlaneWithoutCertificates, mixedConfig, tokenUnknown, tokenWrongSecret, caHashMismatch,
    badCAHash, nodeExists, alreadyInitialised, portInUse, endpointUnreachable,
  ]

  static let reupload =
    "re-upload them on a control plane that is up: `sudo kubeadm init phase upload-certs "
    + "--upload-certs --certificate-key <key>` (playbooks/reupload-certs.hf does it; "
    + "kubeadm.refresh_if_expired(join, on: host) does it before a join), then join again"

  static let certificatesExpired: Rule = { text in
    guard text.contains("Secret \"kubeadm-certs\" was not found") else { return nil }
    return "the certificates `kubeadm init --upload-certs` stored in the kubeadm-certs Secret "
      + "are gone: they are deleted 2 hours after the upload; " + reupload
  }

  static let wrongCertificateKey: Rule = { text in
    guard text.contains("error decoding secret data with provided key") else { return nil }
    return "the --certificate-key is not the key the certificates were uploaded with (the "
      + "Secret was uploaded again with another key): use the key the last `kubeadm init phase "
      + "upload-certs --upload-certs` printed, or " + reupload
  }

  static let badCertificateKey: Rule = { text in
    guard text.contains("error decoding certificate key") else { return nil }
    return "the --certificate-key is not 64 hex digits: use the key `kubeadm init "
      + "--upload-certs` printed (kubeadm.parse_init(out).certificate_key), or make one with "
      + "kubeadm.certificate_key()"
  }

  static let secretMissingEntry: Rule = { text in
    guard text.contains("the Secret does not include the required certificate or key") else {
      return nil
    }
    return "the certificates were uploaded without this cluster's configuration (external etcd "
      + "needs its client certificates in the Secret): re-upload with the config, `sudo kubeadm "
      + "init phase upload-certs --upload-certs --config kubeadm-config.yaml`, then join again"
  }

  static let controlPlaneWithoutCertificates: Rule = { text in
    guard text.contains("One or more conditions for hosting a new control plane instance"),
      text.contains("failure loading") || text.contains("certificates that must be shared")
    else { return nil }
    return "a control plane joined without the cluster's certificates: pass --certificate-key "
      + "(the control_plane_join of kubeadm.parse_init after `kubeadm init --upload-certs`), or "
      + "copy the certificates first (playbooks/manual-certs.hf)"
  }

  static let mixedConfig: Rule = { text in
    guard text.contains("can not mix '--config' with arguments") else { return nil }
    return "kubeadm takes these settings from the config file when --config is given: put them "
      + "in it (kubeadm.config(…, certificate_key: key) / kubeadm.join_config(…)) and drop the "
      + "flags"
  }

  static let tokenUnknown: Rule = { text in
    guard
      text.contains("could not find a JWS signature in the cluster-info ConfigMap for token ID")
        || (text.contains("is invalid for this cluster or it has expired"))
    else { return nil }
    return "the bootstrap token is unknown to the cluster or expired (tokens live 24 hours by "
      + "default): make a new one on a control plane, `sudo kubeadm token create "
      + "--print-join-command` (playbooks/join-workers.hf does it; "
      + "kubeadm.refresh_if_expired(join, on: host) does it before a join)"
  }

  static let tokenWrongSecret: Rule = { text in
    guard text.contains("failed to verify JWS signature of received cluster info object") else {
      return nil
    }
    return "the bootstrap token's secret part is wrong (its ID exists): use the token kubeadm "
      + "printed, or make a new one with `sudo kubeadm token create --print-join-command` "
      + "(playbooks/join-workers.hf)"
  }

  static let caHashMismatch: Rule = { text in
    guard let range = text.firstRange(of: "none of the public keys \"") else { return nil }
    let rest = text[range.upperBound...]
    let actual = rest.prefix { $0 != "\"" }.split(separator: ":").filter { $0 != "sha256" }
      .map { "sha256:" + $0 }
    let shown = actual.isEmpty ? "" : " (the cluster's is \(actual.joined(separator: ", ")))"
    return "the --discovery-token-ca-cert-hash is not the hash of this cluster's CA\(shown): "
      + "compute it on a control plane with kubeadm.ca_cert_hash(read_file("
      + "\"/etc/kubernetes/pki/ca.crt\")), or take the join command kubeadm printed"
  }

  static let badCAHash: Rule = { text in
    guard text.contains("invalid discovery token CA certificate hash") else { return nil }
    return "the --discovery-token-ca-cert-hash is malformed: it is `sha256:` and 64 hex digits, "
      + "as kubeadm.ca_cert_hash(pem) returns it"
  }

  static let nodeExists: Rule = { text in
    guard text.contains("a Node with name"), text.contains("already exists in the cluster") else {
      return nil
    }
    return "a node of this name is in the cluster already: if it is this host that joined "
      + "before, skip it; otherwise delete the old node (`kubectl delete node NAME`) or give "
      + "this host another name, after `sudo kubeadm reset -f` on it (playbooks/reset.hf)"
  }

  static let alreadyInitialised: Rule = { text in
    guard
      text.contains("[ERROR FileAvailable--") && text.contains("already exists")
        || text.contains("[ERROR DirAvailable--") && text.contains("is not empty")
    else { return nil }
    return "this host already ran kubeadm init or join (its files are in place): if it is in "
      + "the cluster, skip it; to start it afresh run `sudo kubeadm reset -f` on it first "
      + "(playbooks/reset.hf)"
  }

  static let portInUse: Rule = { text in
    guard let match = text.firstMatch(of: #/\[ERROR Port-(\d+)\]: Port \d+ is in use/#) else {
      return nil
    }
    let port = match.output.1
    return "port \(port) is in use on this host: a kubeadm run before left its components "
      + "running (`sudo kubeadm reset -f`, playbooks/reset.hf), or another service holds it "
      + "(`ss -ltnp 'sport = :\(port)'` names it)"
  }

  static let endpointUnreachable: Rule = { text in
    let reasons = [
      "failed to request the cluster-info ConfigMap", "connect: connection refused",
      "connect: no route to host", "i/o timeout", "context deadline exceeded",
      "Client.Timeout exceeded", "no such host",
    ]
    guard let reason = reasons.first(where: { text.contains($0) }) else { return nil }
    let target = text.firstMatch(of: #/dial tcp ([^\s:]+:\d+|\[[^\]]+\]:\d+)/#).map {
      " (\($0.output.1))"
    }
    return "the API server endpoint\(target ?? "") cannot be reached from this host (\(reason)): "
      + "check that the load balancer forwards to a control plane that is up "
      + "(probe(\"lb:6443\") from this host), and firewalls and DNS between them"
  }
}
