// Target `kubeadm-init`: `KubeadmOutputParser.parseInit` (what `kubeadm.parse_init` runs,
// compiled in from Sources/Stdlib/Builtins/Kubeadm), then `parseJoinCommand` and
// `parseUploadCerts` on the same text; every error's message is rendered.
//
// With HAFLOW_FUZZ_STRICT=1: a parsed init holds only well-formed values (a bootstrap token, a
// 64-hex key, sha256 hashes, a host:port endpoint), its worker join is no control-plane join,
// and each join, printed on one line, reads back to itself.

func fuzzKubeadmInit(_ text: String) {
  do {
    let parsed = try KubeadmOutputParser.parseInit(text)
    blackHole &+= parsed.workerJoin.line.utf8.count + parsed.workerJoin.redactedLine.utf8.count
    if strict { checkInit(parsed, text) }
  } catch {
    blackHole &+= error.message.utf8.count
  }
  do {
    blackHole &+= try KubeadmOutputParser.parseJoinCommand(text).commandValue.displayText.utf8.count
  } catch {
    blackHole &+= error.message.utf8.count
  }
  do {
    blackHole &+= try KubeadmOutputParser.parseUploadCerts(text).utf8.count
  } catch {
    blackHole &+= error.message.utf8.count
  }
}

private func checkInit(_ parsed: KubeadmInitOutput, _ text: String) {
  let bytes = Array(text.utf8)
  guard KubeadmFormats.isToken(parsed.token) else { violation("bad token", bytes) }
  guard KubeadmFormats.isDiscoveryHash(parsed.discoveryTokenCACertHash) else {
    violation("bad hash", bytes)
  }
  guard KubeadmJoinCommand.looksLikeEndpoint(parsed.endpoint) else {
    violation("bad endpoint", bytes)
  }
  if let key = parsed.certificateKey, !KubeadmFormats.isCertificateKey(key) {
    violation("bad key", bytes)
  }
  if parsed.workerJoin.isControlPlane { violation("worker join is a control-plane join", bytes) }
  if let cp = parsed.controlPlaneJoin, !cp.isControlPlane {
    violation("control-plane join without --control-plane", bytes)
  }
  for join in [parsed.workerJoin] + (parsed.controlPlaneJoin.map { [$0] } ?? []) {
    do {
      let again = try KubeadmOutputParser.parseJoinCommand(join.line)
      if again != join { violation("join does not read back: \(join.line)", bytes) }
    } catch {
      violation("join does not read back: \(join.line): \(error.message)", bytes)
    }
  }
}
