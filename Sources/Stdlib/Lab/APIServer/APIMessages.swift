/// One HTTP request as the API server's handler sees it, free of the transport.
struct APIRequest: Sendable {
  /// `GET`, `POST`, …
  var method: String
  /// The path without the query.
  var path: String
  /// The query string (after `?`), or empty.
  var query: String
  /// Lower-cased header names.
  var headers: [String: String]
  var body: [UInt8]
  /// The client certificate (DER), verified against `--client-ca-file` by the TLS layer.
  var clientCertificateDER: [UInt8]?
}

/// The answer to one request.
struct APIResponse: Sendable {
  var status: Int
  var contentType: String
  var body: [UInt8]

  /// A JSON answer.
  static func json(_ value: JSONValue, status: Int = 200) -> APIResponse {
    APIResponse(status: status, contentType: "application/json", body: value.bytes + [0x0a])
  }

  /// A plain-text answer (`ok` for health checks).
  static func text(_ text: String, status: Int = 200) -> APIResponse {
    APIResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
  }
}

/// A Kubernetes `Status` failure, the body of every error answer.
struct APIStatusError: Error, Sendable {
  var code: Int
  var reason: String
  var message: String
  var details: JSONValue?

  /// The `Status` object Kubernetes serializes.
  var response: APIResponse {
    var status: JSONValue = .object([
      "kind": .string("Status"), "apiVersion": .string("v1"), "metadata": .object([:]),
      "status": .string("Failure"), "message": .string(message), "reason": .string(reason),
      "code": .number(Double(code)),
    ])
    if let details { status["details"] = details }
    return .json(status, status: code)
  }

  private static func details(_ resource: ResourceRef, name: String?) -> JSONValue {
    var details: JSONValue = .object(["kind": .string(resource.resource)])
    if let name { details["name"] = .string(name) }
    if !resource.group.isEmpty { details["group"] = .string(resource.group) }
    return details
  }

  /// 404: `configmaps "x" not found`.
  static func notFound(_ resource: ResourceRef, _ name: String) -> APIStatusError {
    APIStatusError(
      code: 404, reason: "NotFound", message: "\(resource.qualified) \"\(name)\" not found",
      details: details(resource, name: name))
  }

  /// 409: `configmaps "x" already exists`.
  static func alreadyExists(_ resource: ResourceRef, _ name: String) -> APIStatusError {
    APIStatusError(
      code: 409, reason: "AlreadyExists",
      message: "\(resource.qualified) \"\(name)\" already exists",
      details: details(resource, name: name))
  }

  /// 401.
  static let unauthorized = APIStatusError(
    code: 401, reason: "Unauthorized", message: "Unauthorized")

  /// 403: `secrets "x" is forbidden: User "system:anonymous" cannot get resource "secrets" in
  /// API group "" in the namespace "kube-system"`.
  static func forbidden(_ resource: ResourceRef, name: String?, verb: String, user: String)
    -> APIStatusError
  {
    let subject = name.map { "\(resource.qualified) \"\($0)\"" } ?? resource.qualified
    var scope = ""
    if let namespace = resource.namespace {
      scope = " in the namespace \"\(namespace)\""
    } else {
      scope = " at the cluster scope"
    }
    return APIStatusError(
      code: 403, reason: "Forbidden",
      message:
        "\(subject) is forbidden: User \"\(user)\" cannot \(verb) resource \"\(resource.resource)\" in API group \"\(resource.group)\"\(scope)",
      details: details(resource, name: name))
  }

  /// 400.
  static func badRequest(_ message: String) -> APIStatusError {
    APIStatusError(code: 400, reason: "BadRequest", message: message)
  }

  /// 405.
  static func methodNotAllowed(_ method: String) -> APIStatusError {
    APIStatusError(
      code: 405, reason: "MethodNotAllowed",
      message: "the server does not allow this method on the requested resource (\(method))")
  }

  /// 500, e.g. etcd unreachable.
  static func internalError(_ message: String) -> APIStatusError {
    APIStatusError(code: 500, reason: "InternalError", message: message)
  }
}
