import Foundation
import Yams

/// The parts of a kubeconfig a lab client uses: the current context's cluster (server URL,
/// CA, `insecure-skip-tls-verify`) and user (client certificate and key, or a token), with
/// the `*-data` fields embedded or the files they name.
public struct KubeconfigFile: Sendable {
  /// `https://127.0.0.10:6443`.
  public var server: String
  /// The cluster's CA (PEM), if any.
  public var certificateAuthorityPEM: [UInt8]?
  /// Whether the server's certificate is not checked.
  public var insecureSkipTLSVerify: Bool
  /// The user's client certificate (PEM), if any.
  public var clientCertificatePEM: [UInt8]?
  /// The user's client key (PEM), if any.
  public var clientKeyPEM: [UInt8]?
  /// The user's bearer token, if any.
  public var token: String?

  /// A kubeconfig's fields, read from `path`; errors worded as kubectl's.
  public static func load(path: String) throws(KubeAPIError) -> KubeconfigFile {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .configuration(
        "error loading config file \"\(path)\": open \(path): no such file or directory")
    }
    return try parse(String(decoding: data, as: UTF8.self), path: path)
  }

  /// A kubeconfig's fields from its text; `path` names it in errors and anchors relative
  /// file names.
  public static func parse(_ text: String, path: String = "kubeconfig") throws(KubeAPIError)
    -> KubeconfigFile
  {
    let root: JSONValue
    do {
      guard let node = try Yams.compose(yaml: text) else {
        throw KubeAPIError.configuration(
          "invalid configuration: no configuration has been provided")
      }
      root = JSONValue(yaml: node)
    } catch let error as KubeAPIError {
      throw error
    } catch {
      throw .configuration("error loading config file \"\(path)\": \(error)")
    }
    let directory = (path as NSString).deletingLastPathComponent
    func named(_ list: String, _ name: String?) -> JSONValue? {
      root[list]?.array?.first { $0["name"]?.string == name }
    }
    guard let contextName = root["current-context"]?.string, !contextName.isEmpty else {
      throw .configuration("invalid configuration: no configuration has been provided")
    }
    guard let context = named("contexts", contextName)?["context"] else {
      throw .configuration("context was not found for specified context: \(contextName)")
    }
    let clusterName = context["cluster"]?.string
    guard let cluster = named("clusters", clusterName)?["cluster"] else {
      throw .configuration(
        "cluster has no server defined")
    }
    let user = named("users", context["user"]?.string)?["user"] ?? .object([:])
    func bytes(_ entry: JSONValue, data: String, file: String) throws(KubeAPIError) -> [UInt8]? {
      if let text = entry[data]?.string {
        guard let decoded = Data(base64Encoded: text) else {
          throw .configuration("error loading config file \"\(path)\": illegal base64 data")
        }
        return Array(decoded)
      }
      if let name = entry[file]?.string {
        let full = name.hasPrefix("/") ? name : directory + "/" + name
        guard let contents = FileManager.default.contents(atPath: full) else {
          throw .configuration("open \(full): no such file or directory")
        }
        return Array(contents)
      }
      return nil
    }
    guard let server = cluster["server"]?.string, !server.isEmpty else {
      throw .configuration(
        "invalid configuration: no server found for cluster \"\(clusterName ?? "")\"")
    }
    return KubeconfigFile(
      server: server,
      certificateAuthorityPEM: try bytes(
        cluster, data: "certificate-authority-data", file: "certificate-authority"),
      insecureSkipTLSVerify: cluster["insecure-skip-tls-verify"] == .bool(true),
      clientCertificatePEM: try bytes(
        user, data: "client-certificate-data", file: "client-certificate"),
      clientKeyPEM: try bytes(user, data: "client-key-data", file: "client-key"),
      token: user["token"]?.string)
  }
}
