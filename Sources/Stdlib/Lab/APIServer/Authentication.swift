import Foundation
import X509

/// Who made a request, as Kubernetes' authenticators decide it.
struct APIUser: Sendable, Equatable {
  /// `kubernetes-admin`, `system:bootstrap:abcdef`, `system:anonymous`.
  var name: String
  /// `kubeadm:cluster-admins`, `system:bootstrappers`, `system:authenticated`, …
  var groups: [String]
  /// How it was authenticated.
  var method: Method

  enum Method: Sendable, Equatable {
    case clientCertificate
    case bootstrapToken(id: String)
    case anonymous
  }

  static let anonymous = APIUser(
    name: "system:anonymous", groups: ["system:unauthenticated"], method: .anonymous)
}

/// The authenticators kube-apiserver runs, in its order: the client certificate (verified by
/// the TLS layer against `--client-ca-file`; CN is the user, each O a group), then a bearer
/// token, which must be a live bootstrap token (Secret `kube-system/bootstrap-token-<id>`),
/// else the request is anonymous. A bearer token that is not valid is refused (401), as the
/// real server refuses it rather than treating the request as anonymous.
struct Authenticator: Sendable {
  let tokens: BootstrapTokens

  /// The user, or `APIStatusError.unauthorized`.
  func authenticate(_ request: APIRequest) async throws(APIStatusError) -> APIUser {
    if let der = request.clientCertificateDER {
      guard let certificate = try? Certificate(derEncoded: der) else { throw .unauthorized }
      var name = ""
      var groups: [String] = []
      for rdn in certificate.subject {
        for attribute in rdn {
          if attribute.type == .RDNAttributeType.commonName {
            name = String(attribute.value) ?? ""
          } else if attribute.type == .RDNAttributeType.organizationName {
            if let group = String(attribute.value) { groups.append(group) }
          }
        }
      }
      guard !name.isEmpty else { throw .unauthorized }
      return APIUser(
        name: name, groups: groups + ["system:authenticated"], method: .clientCertificate)
    }
    if let header = request.headers["authorization"] {
      guard header.hasPrefix("Bearer ") else { throw .unauthorized }
      let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
      guard let user = try await tokens.authenticate(token) else { throw .unauthorized }
      return user
    }
    return .anonymous
  }
}

/// What each user may do. Kept simple (the lab's stand-in for RBAC as kubeadm sets it up):
/// - anyone, even anonymous: the health and version paths, and `get` of
///   `kube-public/configmaps/cluster-info` (kubeadm's `kubeadm:bootstrap-signer-clusterinfo`);
/// - a bootstrap token (group `system:bootstrappers`): `get` of the kube-system ConfigMaps
///   `kubeadm-config`, `kubelet-config` and `kube-proxy`; `get` of Secret
///   `kube-system/kubeadm-certs` when in `system:bootstrappers:kubeadm:default-node-token`
///   (Role `kubeadm:kubeadm-certs`); `get`, `list`, `create`, `update` of nodes (the kubelet's
///   registration) and `create` of certificatesigningrequests (TLS bootstrap);
/// - any client certificate signed by the cluster CA: everything (kubeadm's admin and
///   super-admin, the control-plane components and the nodes' kubelets).
enum Authorizer {
  /// Whether `user` may `verb` the resource.
  static func allows(_ user: APIUser, verb: String, _ resource: ResourceRef) -> Bool {
    if isClusterInfo(resource), verb == "get" { return true }
    switch user.method {
    case .clientCertificate: return true
    case .anonymous: return false
    case .bootstrapToken:
      let name = resource.name ?? ""
      switch (resource.group, resource.resource) {
      case ("", "configmaps"):
        return verb == "get" && resource.namespace == "kube-system"
          && ["kubeadm-config", "kubelet-config", "kube-proxy"].contains(name)
      case ("", "secrets"):
        return verb == "get" && resource.namespace == "kube-system" && name == "kubeadm-certs"
          && user.groups.contains("system:bootstrappers:kubeadm:default-node-token")
      case ("", "nodes"):
        return ["get", "list", "create", "update"].contains(verb)
      case ("certificates.k8s.io", "certificatesigningrequests"):
        return ["create", "get"].contains(verb)
      default:
        return false
      }
    }
  }

  /// `kube-public/configmaps/cluster-info`.
  static func isClusterInfo(_ resource: ResourceRef) -> Bool {
    resource.group.isEmpty && resource.resource == "configmaps"
      && resource.namespace == "kube-public" && resource.name == "cluster-info"
  }
}
