import Foundation

/// What a lab's hosts ended with after a rehearsal, read from outside the hosts: each host's
/// static pods (its kubelet's `static-pods.json`), the cluster's nodes, bootstrap tokens and
/// uploaded certificates through the API (with the first control plane's `admin.conf`), and
/// the etcd members and their health (Debian's `etcdctl` with a client certificate found on
/// an etcd or control-plane host). Every part says plainly when there is none.
public struct LabClusterReport: Sendable {
  /// A node as `kubectl get nodes` shows it.
  public struct Node: Sendable, Equatable {
    /// Its name (the host's).
    public var name: String
    /// `Ready` or `NotReady`.
    public var status: String
    /// `control-plane`, or `<none>`.
    public var roles: String
    /// The kubelet version it reports.
    public var version: String
  }

  /// An etcd member and whether its endpoint answered healthy.
  public struct Member: Sendable, Equatable {
    /// Its name (empty until it has started).
    public var name: String
    /// `started` or `unstarted`, and `learner` when it is one.
    public var status: String
    /// Its peer URL.
    public var peerURL: String
    /// Whether its client URL answered `endpoint health`.
    public var healthy: Bool
  }

  /// Something that expires on the cluster clock.
  public struct Expiry: Sendable, Equatable {
    /// `bootstrap token abcdef` or `kubeadm-certs`.
    public var what: String
    /// When, on the cluster clock.
    public var at: Date
  }

  /// The cluster clock when the report was made.
  public var clock: Date
  /// The clock's offset from this machine's (`haflow lab advance`).
  public var clockOffsetSeconds: Int64
  /// Each host and its static pods (`etcd running`, …), in the lab's order.
  public var pods: [(host: String, pods: [String])]
  /// The nodes; nil when there is no cluster (see ``noCluster``).
  public var nodes: [Node]?
  /// Why there is no cluster to ask (no `admin.conf`, no API server answering).
  public var noCluster: String?
  /// Where the nodes were read from (`https://127.0.0.64:6443 with cp1's admin.conf`).
  public var apiSource: String?
  /// The etcd members; nil when none could be listed (see ``noEtcd``).
  public var members: [Member]?
  /// Why no members were listed.
  public var noEtcd: String?
  /// Where the members were read from.
  public var etcdSource: String?
  /// Bootstrap tokens and the uploaded certificates, soonest first.
  public var expiries: [Expiry] = []

  /// Reads what `lab`'s hosts have now; bounded (a few seconds per part at most).
  public static func gather(_ lab: Lab, state: LabState) -> LabClusterReport {
    let clock = ClusterClock(stateFile: lab.files.state)
    var report = LabClusterReport(
      clock: clock.now(), clockOffsetSeconds: state.clockOffsetSeconds, pods: [])
    for host in state.hosts {
      let status = KubeletStatus.read(host: KubeadmHost(root: lab.files.fs(host.name)))
      let pods = (status?.pods ?? []).map { pod in
        pod.component + " " + pod.phase.lowercased()
      }
      report.pods.append((host.name, pods))
    }
    report.readAPI(lab, state: state)
    report.readEtcd(lab, state: state)
    return report
  }

  private mutating func readAPI(_ lab: Lab, state: LabState) {
    let controlPlanes = state.shape?.controlPlaneNames ?? []
    guard
      let first = controlPlanes.first(where: {
        FileManager.default.fileExists(atPath: lab.files.fs($0) + "/etc/kubernetes/admin.conf")
      })
    else {
      noCluster = "no control plane has /etc/kubernetes/admin.conf (kubeadm init did not run)"
      return
    }
    let path = lab.files.fs(first) + "/etc/kubernetes/admin.conf"
    let result: Result<(String, JSONValue, JSONValue), KubeAPIError> = runBlocking {
      do throws(KubeAPIError) {
        let client = try KubeAPIClient(
          kubeconfig: try KubeconfigFile.load(path: path), connectTimeout: .seconds(3),
          requestTimeout: .seconds(5))
        let nodes = try await client.get("/api/v1/nodes")
        let secrets = try await client.get("/api/v1/namespaces/kube-system/secrets")
        return .success((client.server, nodes, secrets))
      } catch {
        return .failure(error)
      }
    }
    switch result {
    case .failure(let error):
      noCluster = "the API server does not answer with \(first)'s admin.conf: \(error.description)"
    case .success(let (server, nodes, secrets)):
      apiSource = "\(server) with \(first)'s admin.conf"
      self.nodes = (nodes["items"]?.array ?? []).map(Self.node)
      expiries = Self.expiries(secrets["items"]?.array ?? [])
    }
  }

  static func node(_ item: JSONValue) -> Node {
    let name = item[path: ["metadata", "name"]]?.string ?? "?"
    let labels = item[path: ["metadata", "labels"]]?.object ?? [:]
    let prefix = "node-role.kubernetes.io/"
    let roles = labels.keys.filter { $0.hasPrefix(prefix) }.map {
      String($0.dropFirst(prefix.count))
    }
    .sorted()
    let conditions = item[path: ["status", "conditions"]]?.array ?? []
    let ready = conditions.first { $0["type"]?.string == "Ready" }?["status"]?.string == "True"
    return Node(
      name: name, status: ready ? "Ready" : "NotReady",
      roles: roles.isEmpty ? "<none>" : roles.joined(separator: ","),
      version: item[path: ["status", "nodeInfo", "kubeletVersion"]]?.string ?? "")
  }

  /// Bootstrap tokens' `expiration`, and the `kubeadm-certs` Secret's: its owner token's.
  static func expiries(_ secrets: [JSONValue]) -> [Expiry] {
    var tokens: [String: Date] = [:]
    var list: [Expiry] = []
    for secret in secrets where secret["type"]?.string == "bootstrap.kubernetes.io/token" {
      guard let name = secret[path: ["metadata", "name"]]?.string,
        let id = decoded(secret[path: ["data", "token-id"]]?.string),
        let text = decoded(secret[path: ["data", "expiration"]]?.string),
        let date = ClusterClock.parse(text)
      else { continue }
      tokens[name] = date
      list.append(Expiry(what: "bootstrap token \(id)", at: date))
    }
    for secret in secrets where secret[path: ["metadata", "name"]]?.string == "kubeadm-certs" {
      let owners = secret[path: ["metadata", "ownerReferences"]]?.array ?? []
      if let date = owners.compactMap({ $0["name"]?.string.flatMap { tokens[$0] } }).min() {
        list.append(Expiry(what: "kubeadm-certs (uploaded certificates)", at: date))
      }
    }
    return list.sorted { $0.at < $1.at }
  }

  private static func decoded(_ base64: String?) -> String? {
    guard let base64, let data = Data(base64Encoded: base64) else { return nil }
    return String(decoding: data, as: UTF8.self)
  }

  /// The etcd members, asked with the first client certificate found: a control plane's
  /// `apiserver-etcd-client`, else an etcd host's `healthcheck-client`.
  private mutating func readEtcd(_ lab: Lab, state: LabState) {
    guard let shape = state.shape else { return }
    let endpoints = shape.etcdMembers.compactMap { name in
      state.host(named: name).map { "https://\($0.address):2379" }
    }
    let candidates =
      shape.controlPlaneNames.map { ($0, "apiserver-etcd-client") }
      + shape.etcdMembers.map { ($0, "etcd/healthcheck-client") }
    var chosen: (host: String, client: EtcdClient)?
    for (host, name) in candidates {
      let pki = lab.files.fs(host) + "/etc/kubernetes/pki/"
      let files = [pki + "etcd/ca.crt", pki + name + ".crt", pki + name + ".key"]
      guard files.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else { continue }
      var client = EtcdClient(endpoints: endpoints, host: KubeadmHost(root: lab.files.fs(host)))
      client.certFile = files[1]
      client.keyFile = files[2]
      chosen = (host, client)
      break
    }
    guard let chosen else {
      noEtcd = "no etcd client certificate on \(shape.etcdMembers.joined(separator: ", "))"
      return
    }
    etcdSource = "etcdctl with \(chosen.host)'s certificate"
    do {
      let members = try chosen.client.members()
      let health = (try? chosen.client.clusterHealth()) ?? []
      self.members = members.map { member in
        let healthy = member.clientURLs.contains { url in
          health.contains { $0.endpoint == url && $0.healthy }
        }
        return Member(
          name: member.name, status: member.status + (member.isLearner ? ", learner" : ""),
          peerURL: member.peerURLs.first ?? "", healthy: healthy)
      }
    } catch let error as LabError {
      noEtcd = "etcd does not answer: \(error.message)"
    } catch {
      noEtcd = "etcd does not answer: \(error)"
    }
  }
}

extension LabClusterReport {
  /// The report as lines for a terminal (no colour), in the order: clock, pods per host,
  /// nodes, etcd, expiry times.
  public var lines: [String] {
    var out = [
      "cluster clock \(ClusterClock.rfc3339(clock))"
        + (clockOffsetSeconds == 0
          ? "" : " (+\(LabClock.text(seconds: clockOffsetSeconds)) from this machine's)")
    ]
    let width = pods.map(\.host.count).max() ?? 0
    out.append("static pods")
    for (host, list) in pods {
      out.append(
        "  " + host.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
          + (list.isEmpty ? "none" : list.joined(separator: ", ")))
    }
    if let nodes {
      out.append("nodes (\(apiSource ?? "the API"))")
      if nodes.isEmpty { out.append("  none registered") }
      out += Self.table(
        nodes.map { [$0.name, $0.status, $0.roles, $0.version] }, indent: "  ")
    } else {
      out.append("no cluster: \(noCluster ?? "nothing answers")")
    }
    if let members {
      out.append("etcd members (\(etcdSource ?? "etcdctl"))")
      out += Self.table(
        members.map {
          [
            $0.name.isEmpty ? "(unnamed)" : $0.name, $0.status, $0.peerURL,
            $0.healthy ? "healthy" : "unhealthy",
          ]
        }, indent: "  ")
    } else if let noEtcd {
      out.append("no etcd: \(noEtcd)")
    }
    for expiry in expiries {
      let left = Int64(expiry.at.timeIntervalSince(clock).rounded())
      let when = left > 0 ? "in \(LabClock.text(seconds: left))" : "expired"
      out.append("\(expiry.what) expires \(ClusterClock.rfc3339(expiry.at)) (\(when))")
    }
    if nodes != nil, expiries.isEmpty { out.append("no bootstrap tokens or uploaded certificates") }
    return out
  }

  static func table(_ rows: [[String]], indent: String) -> [String] {
    guard let columns = rows.map(\.count).max() else { return [] }
    let widths = (0..<columns).map { column in
      rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
    }
    return rows.map { row in
      var line = indent
      for (index, cell) in row.enumerated() {
        let last = index == row.count - 1
        line += last ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
      }
      return line
    }
  }
}
