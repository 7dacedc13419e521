/// `kubectl delete RESOURCE NAME… [--ignore-not-found]` and `kubectl drain NODE`: what the
/// playbooks' rollback and teardown run on the first control plane. delete prints
/// `node "cp2" deleted` per object; a missing one is kubectl's `Error from server (NotFound):
/// nodes "x" not found` (exit 1) unless `--ignore-not-found`. drain cordons the node
/// (`spec.unschedulable`) and, since the lab runs no workload pods, has nothing to evict:
/// `node/cp2 cordoned`, `node/cp2 drained`.
enum KubectlDelete {
  static func run(_ line: inout KubectlLine, _ context: KubectlContext) async throws(KubectlFailure)
  {
    var arguments = line.arguments
    guard !arguments.isEmpty else {
      throw KubectlFailure(
        "error: You must provide one or more resources by argument or filename.\n")
    }
    var typeName = arguments.removeFirst()
    var names = arguments
    if let slash = typeName.firstIndex(of: "/") {
      names.insert(String(typeName[typeName.index(after: slash)...]), at: 0)
      typeName = String(typeName[..<slash])
    }
    guard let (group, version, kind) = KubeKinds.resolveOrFail(typeName) else {
      throw KubectlFailure("error: the server doesn't have a resource type \"\(typeName)\"\n")
    }
    guard !names.isEmpty else {
      throw KubectlFailure("error: resource(s) were provided, but no name was specified\n")
    }
    let ignoreMissing = line.flag("ignore-not-found") == "true"
    let apiVersion = group.isEmpty ? version : group + "/" + version
    let namespace = kind.namespaced ? context.namespace : nil
    let singular = KubectlGet.singularKind(kind.resource, group: group)
    let client = try context.client()
    for name in names {
      let path = KubeAPIPath.object(
        apiVersion: apiVersion, resource: kind.resource, namespace: namespace, name: name)
      do throws(KubeAPIError) {
        try await client.delete(path)
        context.output.out("\(singular) \"\(name)\" deleted\n")
      } catch  where error.isNotFound && ignoreMissing {
        continue
      } catch {
        throw KubectlFailure.api(error, server: client.server)
      }
    }
  }

  static func drain(_ line: inout KubectlLine, _ context: KubectlContext)
    async throws(KubectlFailure)
  {
    guard line.arguments.count == 1, let name = line.arguments.first else {
      throw KubectlFailure(
        "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples\n")
    }
    let client = try context.client()
    let path = KubeAPIPath.object(apiVersion: "v1", resource: "nodes", namespace: nil, name: name)
    do throws(KubeAPIError) {
      var node = try await client.get(path)
      if node[path: ["spec", "unschedulable"]] != .bool(true) {
        var spec = node["spec"] ?? .object([:])
        spec["unschedulable"] = .bool(true)
        node["spec"] = spec
        _ = try await client.replace(path, node)
        context.output.out("node/\(name) cordoned\n")
      } else {
        context.output.out("node/\(name) already cordoned\n")
      }
      context.output.out("node/\(name) drained\n")
    } catch {
      throw KubectlFailure.api(error, server: client.server)
    }
  }
}
