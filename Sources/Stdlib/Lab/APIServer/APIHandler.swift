import Foundation

/// The API server's REST subset, free of the transport: health and version, then for any
/// resource path `GET` (one or a list), `POST`, `PUT`, `DELETE`, after the bootstrap-token
/// controllers' work (`BootstrapTokens.collectGarbage`), authentication and authorization.
/// What a client reads is computed where Kubernetes' controllers would have written it:
/// `cluster-info`'s signatures, nodes' Ready condition, CNI pods (`ClusterView`).
struct APIHandler: Sendable {
  let storage: ObjectStorage
  let release: KubeadmRelease
  /// The kubelet CSR approver and signer, when the CA key is at hand.
  var signer: CSRSigner? = nil

  var tokens: BootstrapTokens { BootstrapTokens(storage: storage, clock: storage.clock) }

  /// The answer to `request`; never throws: failures are Status answers.
  func handle(_ request: APIRequest) async -> APIResponse {
    do throws(APIStatusError) {
      return try await route(request)
    } catch {
      return error.response
    }
  }

  private func route(_ request: APIRequest) async throws(APIStatusError) -> APIResponse {
    let path =
      request.path.count > 1 && request.path.hasSuffix("/")
      ? String(request.path.dropLast()) : request.path
    switch path {
    case "/healthz", "/livez":
      return .text("ok")
    case "/readyz":
      do throws(APIStatusError) {
        _ = try await storage.get(BootstrapTokens.secrets)
        return .text("ok")
      } catch {
        return .text("[-]etcd failed: reason withheld\nreadyz check failed\n", status: 500)
      }
    case "/version":
      return .json(versionInfo)
    default:
      break
    }
    guard let resource = ResourceRef.parse(path) else {
      throw APIStatusError(
        code: 404, reason: "NotFound", message: "the server could not find the requested resource",
        details: .object([:]))
    }
    try await tokens.collectGarbage()
    let user = try await Authenticator(tokens: tokens).authenticate(request)
    let verb: String
    switch (request.method, resource.name) {
    case ("GET", nil): verb = "list"
    case ("GET", _): verb = "get"
    case ("POST", nil): verb = "create"
    case ("PUT", .some): verb = "update"
    case ("DELETE", .some): verb = "delete"
    default: throw .methodNotAllowed(request.method)
    }
    var target = resource
    var body: JSONValue?
    if verb == "create" || verb == "update" {
      guard let object = JSONValue.parse(request.body), object.object != nil else {
        throw .badRequest(
          "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml"
        )
      }
      body = object
      let name =
        object[path: ["metadata", "name"]]?.string
        ?? object[path: ["metadata", "generateName"]]?.string.map { $0 + Self.randomSuffix() }
      if verb == "create" {
        guard let name, !name.isEmpty else {
          throw APIStatusError(
            code: 422, reason: "Invalid",
            message:
              "\(resource.qualified) \"\" is invalid: metadata.name: Required value: name or generateName is required"
          )
        }
        target.name = name
        body?["metadata"]?["name"] = .string(name)
      } else if let name, name != resource.name {
        throw .badRequest(
          "the name of the object (\(name)) does not match the name on the URL (\(resource.name ?? ""))"
        )
      }
      if let namespace = object[path: ["metadata", "namespace"]]?.string,
        let wanted = resource.namespace, namespace != wanted
      {
        throw .badRequest(
          "the namespace of the provided object does not match the namespace sent on the request")
      }
    }
    guard Authorizer.allows(user, verb: verb, target) else {
      throw .forbidden(target, name: target.name, verb: verb, user: user.name)
    }
    let view = ClusterView(storage: storage)
    switch verb {
    case "list":
      var items = try await storage.list(resource)
      items = try await view.decorate(items, resource)
      let kind = (items.first?["kind"]?.string ?? Self.kindGuess(resource.resource)) + "List"
      return .json(
        .object([
          "kind": .string(kind), "apiVersion": .string(resource.apiVersion),
          "metadata": .object(["resourceVersion": .string("")]), "items": .array(items),
        ]))
    case "get":
      guard var object = try await storage.get(resource) else {
        throw .notFound(resource, resource.name ?? "")
      }
      if Authorizer.isClusterInfo(resource) {
        object = try await tokens.signed(clusterInfo: object)
      }
      object = try await view.decorate([object], resource).first ?? object
      return .json(object)
    case "create":
      var object = body ?? .object([:])
      if target.resource == "certificatesigningrequests", let signer {
        object = signer.process(object)
      }
      return .json(try await storage.create(target, object), status: 201)
    case "update":
      return .json(try await storage.update(target, body ?? .object([:])))
    default:
      guard let object = try await storage.delete(resource) else {
        throw .notFound(resource, resource.name ?? "")
      }
      return .json(object)
    }
  }

  /// `/version`, as kube-apiserver serves it.
  private var versionInfo: JSONValue {
    .object([
      "major": .string("1"), "minor": .string(String(release.minor)),
      "gitVersion": .string(release.gitVersion), "gitCommit": .string(release.gitCommit),
      "gitTreeState": .string("clean"), "buildDate": .string(release.buildDate),
      "goVersion": .string(release.goVersion), "compiler": .string("gc"),
      "platform": .string("linux/amd64"),
    ])
  }

  /// `configmaps` → `ConfigMap` is not derivable; a list's kind when it is empty matters
  /// to no client, so a capitalised singular is enough.
  static func kindGuess(_ resource: String) -> String {
    var singular = resource
    if singular.hasSuffix("ies") {
      singular = String(singular.dropLast(3)) + "y"
    } else if singular.hasSuffix("s") {
      singular.removeLast()
    }
    return singular.prefix(1).uppercased() + singular.dropFirst()
  }

  /// Five characters of Kubernetes' name alphabet (`generateName`, pod suffixes).
  static func randomSuffix() -> String {
    let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    return String((0..<5).map { _ in alphabet.randomElement()! })
  }
}
