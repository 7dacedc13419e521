import Foundation

/// kubeadm's conversations with the API server, one typed call each, over a `KubeAPIClient`
/// (admin.conf's client certificate for init and `token`, a bootstrap token for join). Errors
/// are the client's `KubeAPIError`, worded as client-go's; callers add kubeadm's context.
public struct KubeadmClusterClient: Sendable {
  /// The underlying client.
  public let client: KubeAPIClient

  /// A client over `client`.
  public init(client: KubeAPIClient) { self.client = client }

  /// A client from a kubeconfig on the node (`/etc/kubernetes/admin.conf`), read under
  /// `host`'s root; the error is kubeadm's `failed to load admin kubeconfig` form's cause.
  public static func fromKubeconfig(
    _ path: String, host: KubeadmHost, timeout: Duration = .seconds(10)
  )
    throws(KubeAPIError) -> KubeadmClusterClient
  {
    let file = try KubeconfigFile.load(path: host.real(path))
    return KubeadmClusterClient(
      client: try KubeAPIClient(kubeconfig: file, connectTimeout: timeout, requestTimeout: timeout))
  }

  // MARK: bootstrap tokens

  /// Creates `token`'s Secret; kubeadm's `token create` fails when it exists. Returns it with
  /// its uid.
  public func createToken(_ token: BootstrapTokenSecret) async throws(KubeAPIError)
    -> BootstrapTokenSecret
  {
    let stored = try await client.create(BootstrapTokenSecret.collectionPath, token.object)
    return BootstrapTokenSecret(secret: stored) ?? token
  }

  /// Creates or replaces `token`'s Secret (init's `UpdateOrCreateTokens`); returns it with
  /// its uid.
  public func createOrUpdateToken(_ token: BootstrapTokenSecret) async throws(KubeAPIError)
    -> BootstrapTokenSecret
  {
    let stored = try await client.createOrReplace(token.path, token.object)
    return BootstrapTokenSecret(secret: stored) ?? token
  }

  /// Token `id`'s Secret, or nil.
  public func token(id: String) async throws(KubeAPIError) -> BootstrapTokenSecret? {
    try await client.getIfPresent(BootstrapTokenSecret.path(id: id)).flatMap {
      BootstrapTokenSecret(secret: $0)
    }
  }

  /// Every bootstrap token in kube-system, in the server's order.
  public func tokens() async throws(KubeAPIError) -> [BootstrapTokenSecret] {
    let list = try await client.get(BootstrapTokenSecret.listPath)
    return (list["items"]?.array ?? []).compactMap { BootstrapTokenSecret(secret: $0) }
  }

  /// Deletes token `id`'s Secret.
  public func deleteToken(id: String) async throws(KubeAPIError) {
    try await client.delete(BootstrapTokenSecret.path(id: id))
  }

  // MARK: configuration

  /// Stores `kubeadm-config` and `kubelet-config` (init's upload-config phase).
  public func uploadConfig(cluster: ClusterConfiguration, release: KubeadmRelease)
    async throws(KubeAPIError)
  {
    try await client.createOrReplace(
      KubeadmConfigMap.path, KubeadmConfigMap(cluster: cluster).object)
    try await client.createOrReplace(
      KubeletConfigMap.path, KubeletConfigMap(cluster: cluster, release: release).object)
  }

  /// The stored `kubeadm-config` ConfigMap (the caller parses it with
  /// `KubeadmConfigMap.cluster(from:release:)`).
  public func kubeadmConfigMap() async throws(KubeAPIError) -> JSONValue {
    try await client.get(KubeadmConfigMap.path)
  }

  /// `kube-public/cluster-info` as stored, with the signer's JWS entries.
  public func clusterInfo() async throws(KubeAPIError) -> ClusterInfoConfigMap? {
    ClusterInfoConfigMap(configMap: try await client.get(ClusterInfoConfigMap.path))
  }

  /// Creates `cluster-info` unless it exists (`CreateBootstrapConfigMapIfNotExists`).
  public func createClusterInfo(_ info: ClusterInfoConfigMap) async throws(KubeAPIError) {
    do throws(KubeAPIError) {
      _ = try await client.create(
        KubeAPIPath.collection(
          apiVersion: "v1", resource: "configmaps", namespace: ClusterObjects.kubePublic),
        info.object)
    } catch  where error.code == 409 {}
  }

  // MARK: uploaded certificates

  /// Stores `kubeadm-certs` (created or replaced).
  public func uploadCerts(_ secret: KubeadmCertsSecret) async throws(KubeAPIError) {
    try await client.createOrReplace(KubeadmCertsSecret.path, secret.object)
  }

  /// `kubeadm-certs`, or nil when it is gone (expired with its token).
  public func certsSecret() async throws(KubeAPIError) -> KubeadmCertsSecret? {
    try await client.getIfPresent(KubeadmCertsSecret.path).flatMap {
      KubeadmCertsSecret(secret: $0)
    }
  }

  // MARK: nodes and pods

  /// Registers `node` as its kubelet would (created, or replaced when it exists); returns it
  /// with its uid.
  public func registerNode(_ node: ClusterNode) async throws(KubeAPIError) -> ClusterNode {
    let stored = try await client.createOrReplace(node.path, node.object)
    return ClusterNode(node: stored) ?? node
  }

  /// Node `name`, or nil.
  public func node(_ name: String) async throws(KubeAPIError) -> ClusterNode? {
    try await client.getIfPresent(ClusterObjects.nodePath(name)).flatMap { ClusterNode(node: $0) }
  }

  /// Every node.
  public func nodes() async throws(KubeAPIError) -> [ClusterNode] {
    let list = try await client.get(ClusterNode.collectionPath)
    return (list["items"]?.array ?? []).compactMap { ClusterNode(node: $0) }
  }

  /// Registers the mirror pods of the static-pod `manifests` (file texts) on `node`.
  public func registerMirrorPods(_ manifests: [String], node: ClusterNode)
    async throws(KubeAPIError)
  {
    for manifest in manifests {
      guard let pod = MirrorPod.object(manifest: manifest, node: node),
        let name = ClusterObjects.name(pod)
      else { continue }
      try await client.createOrReplace(ClusterObjects.podPath(name), pod)
    }
  }

  /// Creates (or replaces) addon objects.
  public func apply(_ objects: [KubeadmAddons.Object]) async throws(KubeAPIError) {
    for object in objects { try await client.createOrReplace(object.path, object.object) }
  }
}

/// Runs one async API call from the stand-in's synchronous command code; an error that is
/// not the client's becomes `.configuration` (closures' thrown types are not inferred).
func blockingAPI<T: Sendable>(_ work: @escaping @Sendable () async throws -> T)
  throws(KubeAPIError) -> T
{
  let result: Result<T, KubeAPIError> = runBlocking {
    do {
      return .success(try await work())
    } catch let error as KubeAPIError {
      return .failure(error)
    } catch {
      return .failure(.configuration("\(error)"))
    }
  }
  return try result.get()
}
