import Foundation
import NIOSSL

/// A client of the lab's API server (and of any Kubernetes-shaped HTTPS API): JSON objects
/// over HTTPS/1.1, one connection per request, bounded connect and read timeouts. The kubectl
/// stand-in uses it, and so will kubeadm's init, join and token commands:
///
///     let client = try KubeAPIClient(kubeconfig: try KubeconfigFile.load(path: "/etc/kubernetes/admin.conf"))
///     let info = try await client.get(KubeAPIPath.object(apiVersion: "v1", resource: "configmaps",
///                                                          namespace: "kube-public", name: "cluster-info"))
///
/// Errors are `KubeAPIError`: `.transport` (worded as Go's net/http: `dial tcp …: connect:
/// connection refused`), `.status` (the server's Status: code, reason, message).
public struct KubeAPIClient: Sendable {
  /// Who the client says it is.
  public enum Credentials: Sendable {
    /// No credentials (`system:anonymous`).
    case anonymous
    /// `Authorization: Bearer <token>` (a bootstrap token `id.secret`).
    case bearerToken(String)
    /// A client certificate and its key (PEM).
    case clientCertificate(certificatePEM: [UInt8], keyPEM: [UInt8])
  }

  /// The server URL, `https://host:port`.
  public let server: String
  /// The host part of `server`.
  public let host: String
  /// The port part of `server` (443 when absent).
  public let port: Int
  /// How long a connection may take.
  public var connectTimeout: Duration
  /// How long a whole answer may take.
  public var requestTimeout: Duration
  private let bearer: String?
  private let context: NIOSSLContext

  /// A client of `server` (`https://host:port`) with `credentials`, trusting `trust`.
  public init(
    server: String, credentials: Credentials, trust: TLSClientSettings.Trust,
    connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(10)
  ) throws(KubeAPIError) {
    guard let (host, port) = Self.hostPort(server) else {
      throw .configuration("host must be a URL or a host:port pair: \"\(server)\"")
    }
    self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
    self.host = host
    self.port = port
    self.connectTimeout = connectTimeout
    self.requestTimeout = requestTimeout
    var settings = TLSClientSettings(trust: trust)
    switch credentials {
    case .anonymous: bearer = nil
    case .bearerToken(let token): bearer = token
    case .clientCertificate(let certificate, let key):
      bearer = nil
      settings.identity = (certificate, key)
    }
    context = try settings.makeContext()
  }

  /// A client from a kubeconfig's current context: its server, CA (or insecure skip), and
  /// its user's client certificate or token (anonymous when it has neither).
  public init(
    kubeconfig: KubeconfigFile, connectTimeout: Duration = .seconds(10),
    requestTimeout: Duration = .seconds(10)
  ) throws(KubeAPIError) {
    let credentials: Credentials
    if let certificate = kubeconfig.clientCertificatePEM, let key = kubeconfig.clientKeyPEM {
      credentials = .clientCertificate(certificatePEM: certificate, keyPEM: key)
    } else if let token = kubeconfig.token {
      credentials = .bearerToken(token)
    } else {
      credentials = .anonymous
    }
    let trust: TLSClientSettings.Trust
    if kubeconfig.insecureSkipTLSVerify {
      trust = .insecureSkipVerify
    } else if let ca = kubeconfig.certificateAuthorityPEM {
      trust = .certificateAuthorities(pem: ca)
    } else {
      throw .configuration("the server's certificate authority is not in the kubeconfig")
    }
    try self.init(
      server: kubeconfig.server, credentials: credentials, trust: trust,
      connectTimeout: connectTimeout, requestTimeout: requestTimeout)
  }

  /// `GET path`: the object, or a list (`items`).
  public func get(_ path: String) async throws(KubeAPIError) -> JSONValue {
    try await request("GET", path)
  }

  /// `GET path`, or nil when the server answers 404 (kubeadm's "does the Secret exist yet").
  public func getIfPresent(_ path: String) async throws(KubeAPIError) -> JSONValue? {
    do throws(KubeAPIError) {
      return try await get(path)
    } catch  where error.isNotFound {
      return nil
    }
  }

  /// Creates `object` at `path` (the object's own path), or replaces it when it exists —
  /// kubeadm's `CreateOrUpdate` for Secrets and ConfigMaps.
  @discardableResult
  public func createOrReplace(_ path: String, _ object: JSONValue) async throws(KubeAPIError)
    -> JSONValue
  {
    let collection = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    do throws(KubeAPIError) {
      return try await create(collection, object)
    } catch  where error.code == 409 {
      return try await replace(path, object)
    }
  }

  /// `POST` `object` to the collection at `path`; returns what was stored.
  public func create(_ path: String, _ object: JSONValue) async throws(KubeAPIError) -> JSONValue {
    try await request("POST", path, body: object)
  }

  /// `PUT` `object` at `path` (replaces it); returns what was stored.
  public func replace(_ path: String, _ object: JSONValue) async throws(KubeAPIError) -> JSONValue {
    try await request("PUT", path, body: object)
  }

  /// `DELETE path`.
  @discardableResult
  public func delete(_ path: String) async throws(KubeAPIError) -> JSONValue {
    try await request("DELETE", path)
  }

  /// Any request; a 2xx answer's JSON body, else the server's Status as `.status`.
  public func request(_ method: String, _ path: String, body: JSONValue? = nil)
    async throws(KubeAPIError) -> JSONValue
  {
    var headers = [("Accept", "application/json"), ("User-Agent", "haflow-lab/kubeapi")]
    if body != nil { headers.append(("Content-Type", "application/json")) }
    if let bearer { headers.append(("Authorization", "Bearer " + bearer)) }
    let reply = try await HTTPSTransport.send(
      method: method, host: host, port: port, path: path, headers: headers, body: body?.bytes,
      tls: context, connectTimeout: connectTimeout, readTimeout: requestTimeout)
    let json = JSONValue.parse(reply.body)
    guard (200..<300).contains(reply.status) else {
      if let json, json["kind"]?.string == "Status" {
        throw .status(
          code: json["code"]?.int ?? reply.status, reason: json["reason"]?.string ?? "",
          message: json["message"]?.string ?? "")
      }
      throw .status(
        code: reply.status, reason: "",
        message:
          "the server responded with the status code \(reply.status) but did not return more information"
      )
    }
    return json ?? .string(String(decoding: reply.body, as: UTF8.self))
  }

  /// `https://h:p` → (h, p).
  static func hostPort(_ server: String) -> (String, Int)? {
    guard let components = URLComponents(string: server), components.scheme == "https",
      let host = components.host, !host.isEmpty
    else { return nil }
    let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
    return (bare, components.port ?? 443)
  }
}

/// REST paths as Kubernetes lays them out.
public enum KubeAPIPath {
  /// `/api/v1` for `v1`, `/apis/apps/v1` for `apps/v1`.
  public static func prefix(apiVersion: String) -> String {
    apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion
  }

  /// The collection of `resource` (in `namespace` when namespaced).
  public static func collection(apiVersion: String, resource: String, namespace: String?)
    -> String
  {
    let base = prefix(apiVersion: apiVersion)
    guard let namespace else { return base + "/" + resource }
    return base + "/namespaces/" + namespace + "/" + resource
  }

  /// One object.
  public static func object(
    apiVersion: String, resource: String, namespace: String?, name: String
  ) -> String {
    collection(apiVersion: apiVersion, resource: resource, namespace: namespace) + "/" + name
  }
}
