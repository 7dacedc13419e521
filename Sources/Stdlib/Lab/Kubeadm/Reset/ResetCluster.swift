import Foundation
import Remote

/// What `kubeadm reset` asks of the cluster: the `kubeadm-config` ConfigMap (for the etcd data
/// directory and to find this node's etcd member) and removing that member. The lab's API
/// server slice fills these in; until then `unreachable` answers as kubeadm does when it cannot
/// reach the API server, and reset goes on without them (the member stays in the etcd cluster).
public struct ResetCluster: Sendable {
  /// Reads the cluster's configuration through the kubeconfig's `server` URL; the error text is
  /// what kubeadm's warning shows after `Unable to fetch the kubeadm-config ConfigMap from
  /// cluster: `.
  public var fetchConfiguration:
    @Sendable (_ server: String) -> Result<InitConfiguration, KubeadmError>
  /// `RemoveStackedEtcdMemberFromCluster`: nil when removed, else why not.
  public var removeEtcdMember: @Sendable (_ config: InitConfiguration) -> KubeadmError?

  /// A cluster with these answers.
  public init(
    fetchConfiguration: @escaping @Sendable (String) -> Result<InitConfiguration, KubeadmError>,
    removeEtcdMember: @escaping @Sendable (InitConfiguration) -> KubeadmError?
  ) {
    self.fetchConfiguration = fetchConfiguration
    self.removeEtcdMember = removeEtcdMember
  }

  /// No API server to ask (the default of a reset run without the command line, which uses
  /// `api`): the read fails with Go's dial error when nothing answers on the server's
  /// address, and with a haflow sentence when something does.
  public static let unreachable = ResetCluster(
    fetchConfiguration: { server in .failure(KubeadmError(unreachableReason(server))) },
    removeEtcdMember: { _ in
      KubeadmError("no API server to ask: the member stays in the etcd cluster")
    })

  /// The lab's API server through the kubeconfig at `kubeconfig` (under `host`): the
  /// `kubeadm-config` ConfigMap when the server answers (this node's name and address
  /// completing it), Go's dial error when nothing answers. The etcd member is never removed:
  /// reset warns that it was not, and a playbook removes it with `etcdctl member remove`.
  public static func api(
    host: KubeadmHost, kubeconfig: String, release: KubeadmRelease, nodeName: String,
    advertiseAddress: String?
  ) -> ResetCluster {
    ResetCluster(
      fetchConfiguration: { server in
        let result: Result<JSONValue, KubeAPIError>
        do throws(KubeAPIError) {
          let client = try KubeadmClusterClient.fromKubeconfig(kubeconfig, host: host)
          result = .success(try blockingAPI { try await client.kubeadmConfigMap() })
        } catch {
          result = .failure(error)
        }
        switch result {
        case .failure(let error) where error.code == nil:
          return .failure(
            KubeadmError(unreachableReason(server, answered: "failed to get config map: \(error)")))
        case .failure(let error):
          return .failure(KubeadmError("failed to get config map: \(error)"))
        case .success(let configMap):
          do throws(KubeadmError) {
            let cluster = try KubeadmConfigMap.cluster(from: configMap, release: release)
            return .success(
              InitConfiguration(
                node: NodeSettings(name: nodeName, advertiseAddress: advertiseAddress ?? ""),
                cluster: cluster))
          } catch {
            return .failure(error)
          }
        }
      },
      removeEtcdMember: { _ in
        KubeadmError(
          "haflow's kubeadm stand-in leaves the member in the etcd cluster (as kubeadm does when "
            + "it cannot reach etcd)")
      })
  }

  /// Why the ConfigMap cannot be read from `server` (`https://host:port`).
  /// `answered` is the reason when something answers on the address.
  static func unreachableReason(_ server: String, answered: String? = nil) -> String {
    let url =
      server + "/api/v1/namespaces/kube-system/configmaps/kubeadm-config?timeout=10s"
    let prefix = "failed to get config map: Get \(GoQuote.quote(url)): "
    let hostPort = server.hasPrefix("https://") ? String(server.dropFirst(8)) : server
    guard let split = HostPort.split(hostPort), let port = split.port else {
      return prefix + "dial tcp: address \(hostPort): missing port in address"
    }
    let host = split.host
    let probe = PortProbe.probe(host: host, port: port, timeout: .seconds(3))
    let address = probe.address ?? hostPort
    switch probe.status {
    case .refused: return prefix + "dial tcp \(address): connect: connection refused"
    case .timeout: return prefix + "dial tcp \(address): i/o timeout"
    case .dnsError: return prefix + "dial tcp: lookup \(host): no such host"
    case .unreachable: return prefix + "dial tcp \(address): connect: no route to host"
    case .open:
      if let answered { return answered }
      return prefix
        + "haflow's kubeadm stand-in cannot read the kubeadm-config ConfigMap yet (the lab's "
        + "API server slice is not built)"
    }
  }

  /// The `server:` of a kubeconfig's first cluster.
  static func server(inKubeconfig text: String) -> String? {
    for line in text.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("server:") {
        return trimmed.dropFirst("server:".count).trimmingCharacters(in: .whitespaces)
      }
    }
    return nil
  }
}
