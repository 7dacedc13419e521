import Foundation
import NIOSSL

/// The API server's storage: a real etcd (v3), reached through its JSON gateway
/// (`POST /v3/kv/range|put|deleterange|txn`, base64 keys and values) over TLS with the
/// client certificate kube-apiserver's `--etcd-certfile`/`--etcd-keyfile` name, checked
/// against `--etcd-cafile`. Several `--etcd-servers` are tried in order, so the state
/// survives the loss of any one member.
struct EtcdStore: Sendable {
  /// One stored key.
  struct Entry: Sendable {
    var key: String
    var value: [UInt8]
    /// etcd's modification revision: the object's `resourceVersion`.
    var modRevision: Int64
  }

  /// `https://127.0.0.1:2379` and others, as (host, port).
  let endpoints: [(host: String, port: Int)]
  let context: NIOSSLContext
  let timeout: Duration

  /// A store for `--etcd-servers` with the TLS files' contents.
  init(servers: [String], tls: TLSClientSettings, timeout: Duration = .seconds(5))
    throws(KubeAPIError)
  {
    var endpoints: [(String, Int)] = []
    for server in servers {
      guard let endpoint = KubeAPIClient.hostPort(server) else {
        throw .configuration(
          "invalid --etcd-servers entry \"\(server)\": only https:// is supported")
      }
      endpoints.append(endpoint)
    }
    guard !endpoints.isEmpty else { throw .configuration("--etcd-servers must be specified") }
    self.endpoints = endpoints
    self.context = try tls.makeContext()
    self.timeout = timeout
  }

  /// The value of `key`, or nil.
  func get(_ key: String) async throws(KubeAPIError) -> Entry? {
    try await range(["key": .string(Self.base64(key))]).first
  }

  /// Every key starting with `prefix`, in key order.
  func list(prefix: String) async throws(KubeAPIError) -> [Entry] {
    try await range([
      "key": .string(Self.base64(prefix)), "range_end": .string(Self.base64(rangeEnd(prefix))),
    ])
  }

  /// Stores `value` under `key`; returns the new revision.
  @discardableResult
  func put(_ key: String, _ value: [UInt8]) async throws(KubeAPIError) -> Int64 {
    let reply = try await call(
      "put", ["key": .string(Self.base64(key)), "value": .string(Self.base64(value))])
    return Self.int64(reply[path: ["header", "revision"]]) ?? 0
  }

  /// Stores `value` under `key` only when the key does not exist; returns the revision, or
  /// nil when it existed.
  func create(_ key: String, _ value: [UInt8]) async throws(KubeAPIError) -> Int64? {
    let encodedKey = JSONValue.string(Self.base64(key))
    let reply = try await call(
      "txn",
      [
        "compare": .array([
          .object([
            "key": encodedKey, "target": .string("CREATE"), "result": .string("EQUAL"),
            "create_revision": .string("0"),
          ])
        ]),
        "success": .array([
          .object([
            "request_put": .object(["key": encodedKey, "value": .string(Self.base64(value))])
          ])
        ]),
      ])
    guard reply["succeeded"] == .bool(true) else { return nil }
    return Self.int64(reply[path: ["header", "revision"]]) ?? 0
  }

  /// Removes `key`; whether it existed.
  @discardableResult
  func delete(_ key: String) async throws(KubeAPIError) -> Bool {
    let reply = try await call("deleterange", ["key": .string(Self.base64(key))])
    return (Self.int64(reply["deleted"]) ?? 0) > 0
  }

  private func range(_ body: [String: JSONValue]) async throws(KubeAPIError) -> [Entry] {
    let reply = try await call("range", body)
    return (reply["kvs"]?.array ?? []).compactMap { kv in
      guard let key = kv["key"]?.string.flatMap({ Data(base64Encoded: $0) }) else { return nil }
      let value = kv["value"]?.string.flatMap { Data(base64Encoded: $0) } ?? Data()
      return Entry(
        key: String(decoding: key, as: UTF8.self), value: Array(value),
        modRevision: Self.int64(kv["mod_revision"]) ?? 0)
    }
  }

  /// One gateway call, tried on each endpoint until one answers.
  private func call(_ operation: String, _ body: [String: JSONValue]) async throws(KubeAPIError)
    -> JSONValue
  {
    var lastError = KubeAPIError.configuration("no etcd endpoint")
    for (host, port) in endpoints {
      do throws(KubeAPIError) {
        let reply = try await HTTPSTransport.send(
          method: "POST", host: host, port: port, path: "/v3/kv/" + operation,
          headers: [("Content-Type", "application/json")], body: JSONValue.object(body).bytes,
          tls: context, connectTimeout: timeout, readTimeout: timeout)
        guard reply.status == 200, let json = JSONValue.parse(reply.body) else {
          let message = JSONValue.parse(reply.body)?["error"]?.string ?? "status \(reply.status)"
          throw KubeAPIError.status(code: 500, reason: "InternalError", message: "etcd: " + message)
        }
        return json
      } catch {
        lastError = error
        if case .status = error { throw error }
      }
    }
    throw lastError
  }

  private func rangeEnd(_ prefix: String) -> [UInt8] {
    var bytes = Array(prefix.utf8)
    while let last = bytes.last {
      if last < 0xff {
        bytes[bytes.count - 1] = last + 1
        return bytes
      }
      bytes.removeLast()
    }
    return [0]
  }

  private static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
  private static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

  /// etcd's gateway writes int64 fields as strings.
  private static func int64(_ value: JSONValue?) -> Int64? {
    if let text = value?.string { return Int64(text) }
    return value?.int.map(Int64.init)
  }
}
