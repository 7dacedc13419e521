import Foundation

/// What `kubeadm join --control-plane` does for a stacked etcd member (LAB-FIDELITY.md §2.2),
/// against the lab's real etcd: add this node's peer URL to the cluster as a learner (a
/// plain member with `learner: false`, as v1.31 with the `EtcdLearnerMode` gate off), print
/// kubeadm's lines, write the node's etcd manifest with every member in `--initial-cluster`
/// and `--initial-cluster-state=existing` (the lab kubelet then starts it), promote the
/// learner once it has caught up, and wait until every member is healthy.
public struct EtcdMembership: Sendable {
  /// The joining node's files.
  public var host: KubeadmHost
  /// The joining node and cluster (its name and advertise address make the peer URL).
  public var config: InitConfiguration
  /// The release (the manifest's image).
  public var release: KubeadmRelease
  /// Whether the member is added as a learner and promoted.
  public var learner = true
  /// kubeadm's `EtcdAPICallRetryInterval`.
  public var retryInterval: Duration = .milliseconds(500)
  /// kubeadm's `EtcdAPICallTimeout`, for adding and promoting.
  public var callTimeout: Duration = .seconds(120)
  /// How long the cluster gets to become healthy (kubeadm: 5 s × 8).
  public var healthTimeout: Duration = .seconds(40)

  /// The membership step for the node `config` describes, writing under `host`.
  public init(host: KubeadmHost, config: InitConfiguration, release: KubeadmRelease) {
    self.host = host
    self.config = config
    self.release = release
  }

  /// This node's peer URL.
  public var peerURL: String { "https://" + HostPort.join(config.node.advertiseAddress, 2380) }

  /// Adds the node to the cluster that answers on `endpoints` (the existing members' client
  /// URLs), calling `print` with each line kubeadm prints on standard output and `warn` with
  /// each line its etcd client logs on standard error (a promote tried before the learner
  /// caught up). Returns the member list written to `--initial-cluster`. Every wait is
  /// bounded; a failure says which step failed.
  @discardableResult
  public func addMember(
    endpoints: [String], print: (String) -> Void = { _ in }, warn: (String) -> Void = { _ in }
  ) throws -> [EtcdMember] {
    let client = EtcdClient(
      endpoints: endpoints, host: host, certificatesDir: config.cluster.certificatesDir)
    let name = config.node.name
    let id = try retrying("add the etcd member \(name)") { () throws -> String? in
      if let existing = try client.members().first(where: { $0.peerURLs.contains(peerURL) }) {
        return existing.id
      }
      var arguments = ["member", "add", name, "--peer-urls=" + peerURL]
      if learner { arguments.append("--learner") }
      let result = try client.run(arguments)
      guard result.status == 0 else { return nil }
      return result.output.firstMatch(of: /Member ([0-9a-f]+) added/).map { String($0.1) }
    }
    let members = try client.members().map { member in
      EtcdMember(
        name: member.id == id ? name : (member.name.isEmpty ? member.id : member.name),
        peerURL: member.peerURLs.first ?? "")
    }
    print("[etcd] Announced new etcd member joining to the existing etcd cluster")
    let writer = StaticPodWriter(host: host, config: config, release: release)
    for line in try writer.writeEtcd(members: members) { print(line) }
    if learner {
      // kubeadm's MemberPromote polls until `timeouts.etcdAPICall` and then returns etcd's
      // last answer: a learner that never started fails with "… in sync with leader".
      var lastError: String?
      do {
        _ = try retrying("promote the etcd learner \(name)") { () throws -> Bool? in
          let result = try client.run(["member", "promote", id])
          if result.status == 0 { return true }
          if result.output.contains("is not a learner") { return true }
          if result.output.contains(Self.notInSync) {
            warn(Self.retryWarning(endpoint: endpoints.first ?? "", error: Self.notInSync))
          }
          lastError = Self.etcdError(result.output)
          return nil
        }
      } catch let error as LabError {
        throw LabError(lastError ?? error.message)
      }
    }
    print(
      "[etcd] Waiting for the new etcd member to join the cluster. This can take up to "
        + GoDuration.format(Double(healthTimeout.components.seconds)))
    let deadline = ContinuousClock.now + healthTimeout
    while true {
      let health = (try? client.clusterHealth()) ?? []
      if health.count == members.count, health.allSatisfy(\.healthy) { return members }
      guard ContinuousClock.now < deadline else {
        throw LabError("timeout waiting for etcd cluster to be available")
      }
      sleep(retryInterval)
    }
  }

  /// etcd's answer to a promote before the learner has caught up.
  static let notInSync =
    "etcdserver: can only promote a learner member which is in sync with leader"

  /// etcd's error in etcdctl's output (`Error: etcdserver: …`), without etcdctl's prefix;
  /// nil when it printed none.
  static func etcdError(_ output: String) -> String? {
    let line = output.split(separator: "\n").last { $0.hasPrefix("Error: ") }
    return line.map { String($0.dropFirst("Error: ".count)) }
  }

  /// The etcd client's JSON warning for a retried call, as kubeadm's stderr shows it
  /// (LAB-FIDELITY.md §2.2 and the v1.32.7 join transcript pin `level`, `msg` and `error`;
  /// the other fields follow etcd v3.5's client logger).
  static func retryWarning(endpoint: String, error: String, now: Date = Date()) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    let target = endpoint.replacingOccurrences(of: "https://", with: "")
    return #"{"level":"warn","ts":""# + formatter.string(from: now)
      + #"","logger":"etcd-client","caller":"v3@v3.5.16/retry_interceptor.go:63","#
      + #""msg":"retrying of unary invoker failed","target":"etcd-endpoints://0xc000a0e000/"#
      + target + #"","attempt":0,"error":"rpc error: code = FailedPrecondition desc = "#
      + error + #""}"#
  }

  /// Calls `attempt` every `retryInterval` until it returns a value or `callTimeout` passes.
  private func retrying<T>(_ what: String, _ attempt: () throws -> T?) throws -> T {
    let deadline = ContinuousClock.now + callTimeout
    var lastError = ""
    while true {
      do {
        if let value = try attempt() { return value }
      } catch let error as LabError {
        lastError = ": " + error.message
      }
      guard ContinuousClock.now < deadline else {
        throw LabError("could not \(what) within \(callTimeout)\(lastError)")
      }
      sleep(retryInterval)
    }
  }

  private func sleep(_ duration: Duration) {
    usleep(UInt32(duration / .microseconds(1)))
  }
}
