import Foundation

/// Kubernetes objects in etcd: one JSON document per key (`ResourceRef.key`), with the
/// metadata the real server fills in — `uid` and `creationTimestamp` (cluster clock) on
/// create, `resourceVersion` from etcd's modification revision on every read — and Secrets'
/// `stringData` folded into base64 `data` as the real server does.
struct ObjectStorage: Sendable {
  let etcd: EtcdStore
  let clock: ClusterClock

  /// The object, or nil.
  func get(_ ref: ResourceRef) async throws(APIStatusError) -> JSONValue? {
    guard
      let entry = try await run({ () async throws(KubeAPIError) in try await etcd.get(ref.key) })
    else { return nil }
    return Self.decode(entry)
  }

  /// The objects of a collection (one namespace, or all), by key.
  func list(_ ref: ResourceRef) async throws(APIStatusError) -> [JSONValue] {
    let prefix = ref.listPrefix
    let entries = try await run({ () async throws(KubeAPIError) in
      try await etcd.list(prefix: prefix)
    })
    return entries.compactMap(Self.decode)
  }

  /// Stores a new object; 409 when one with its name exists.
  func create(_ ref: ResourceRef, _ object: JSONValue) async throws(APIStatusError) -> JSONValue {
    var object = Self.normalized(object, ref)
    object["metadata"]?["uid"] = .string(UUID().uuidString.lowercased())
    object["metadata"]?["creationTimestamp"] = .string(ClusterClock.rfc3339(clock.now()))
    object["metadata"]?["resourceVersion"] = nil
    let bytes = object.bytes
    let key = ref.key
    guard
      let revision = try await run({ () async throws(KubeAPIError) in
        try await etcd.create(key, bytes)
      })
    else { throw .alreadyExists(ref, ref.name ?? "") }
    object["metadata"]?["resourceVersion"] = .string(String(revision))
    return object
  }

  /// Replaces an existing object, keeping its uid and creation time; 404 when absent.
  func update(_ ref: ResourceRef, _ object: JSONValue) async throws(APIStatusError) -> JSONValue {
    guard let existing = try await get(ref) else { throw .notFound(ref, ref.name ?? "") }
    var object = Self.normalized(object, ref)
    object["metadata"]?["uid"] = existing[path: ["metadata", "uid"]]
    object["metadata"]?["creationTimestamp"] = existing[path: ["metadata", "creationTimestamp"]]
    object["metadata"]?["resourceVersion"] = nil
    let bytes = object.bytes
    let key = ref.key
    let revision = try await run({ () async throws(KubeAPIError) in try await etcd.put(key, bytes) }
    )
    object["metadata"]?["resourceVersion"] = .string(String(revision))
    return object
  }

  /// Removes an object; returns it, or nil when it was absent.
  func delete(_ ref: ResourceRef) async throws(APIStatusError) -> JSONValue? {
    guard let existing = try await get(ref) else { return nil }
    let key = ref.key
    _ = try await run({ () async throws(KubeAPIError) in try await etcd.delete(key) })
    return existing
  }

  /// Any etcd failure as the 500 the real server answers.
  private func run<T>(_ work: () async throws(KubeAPIError) -> T) async throws(APIStatusError) -> T
  {
    do throws(KubeAPIError) {
      return try await work()
    } catch {
      throw .internalError(error.description)
    }
  }

  private static func decode(_ entry: EtcdStore.Entry) -> JSONValue? {
    guard var object = JSONValue.parse(entry.value) else { return nil }
    object["metadata"]?["resourceVersion"] = .string(String(entry.modRevision))
    return object
  }

  /// Name and namespace from the path; Secrets' `stringData` into `data`.
  private static func normalized(_ object: JSONValue, _ ref: ResourceRef) -> JSONValue {
    var object = object
    if object["metadata"]?.object == nil { object["metadata"] = .object([:]) }
    if let name = ref.name { object["metadata"]?["name"] = .string(name) }
    if let namespace = ref.namespace { object["metadata"]?["namespace"] = .string(namespace) }
    if ref.group.isEmpty, ref.resource == "secrets",
      let stringData = object["stringData"]?.object
    {
      var data = object["data"]?.object ?? [:]
      for (key, value) in stringData {
        data[key] = .string(Data((value.string ?? "").utf8).base64EncodedString())
      }
      object["data"] = .object(data)
      object["stringData"] = nil
    }
    return object
  }
}
