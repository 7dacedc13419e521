import Foundation

/// `kubectl get nodes|pods|… [NAME…] [-n NS] [-A] [-o name]`: kubectl's default table for
/// nodes (NAME STATUS ROLES AGE VERSION) and pods (NAME READY STATUS RESTARTS AGE), NAME
/// and AGE for other resources.
enum KubectlGet {
  static func run(_ line: inout KubectlLine, _ context: KubectlContext) async throws(KubectlFailure)
  {
    guard let type = line.arguments.first else {
      throw KubectlFailure(
        "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n"
      )
    }
    guard let (group, version, kind) = KubeKinds.resolveOrFail(type) else {
      throw KubectlFailure(
        "error: the server doesn't have a resource type \"\(type)\"\n")
    }
    let names = Array(line.arguments.dropFirst())
    let allNamespaces = line.flag("all-namespaces") == "true"
    let namespace: String? = kind.namespaced && !allNamespaces ? context.namespace : nil
    let apiVersion = group.isEmpty ? version : group + "/" + version
    let client = try context.client()
    var objects: [JSONValue] = []
    var missing: [String] = []
    do throws(KubeAPIError) {
      if names.isEmpty {
        objects =
          try await client.get(
            KubeAPIPath.collection(
              apiVersion: apiVersion, resource: kind.resource, namespace: namespace)
          )["items"]?.array ?? []
      } else {
        for name in names {
          do throws(KubeAPIError) {
            objects.append(
              try await client.get(
                KubeAPIPath.object(
                  apiVersion: apiVersion, resource: kind.resource, namespace: namespace, name: name)
              ))
          } catch  where error.isNotFound {
            missing.append(error.description)
          }
        }
      }
    } catch {
      throw .api(error, server: client.server)
    }
    objects.sort {
      (
        $0[path: ["metadata", "namespace"]]?.string ?? "",
        $0[path: ["metadata", "name"]]?.string ?? ""
      )
        < (
          $1[path: ["metadata", "namespace"]]?.string ?? "",
          $1[path: ["metadata", "name"]]?.string ?? ""
        )
    }
    let qualified = group.isEmpty ? kind.resource : kind.resource + "." + group
    if !objects.isEmpty {
      if line.flag("output") == "name" {
        let singular = singularKind(kind.resource, group: group)
        context.output.out(
          objects.map { "\(singular)/\($0[path: ["metadata", "name"]]?.string ?? "")\n" }.joined())
      } else if let format = line.flag("output"), format == "yaml" || format == "json" {
        context.output.out(
          KubectlPrinters.render(objects, format: format, single: names.count == 1))
      } else if let format = line.flag("output"), format != "wide" {
        throw KubectlFailure(
          "error: unable to match a printer suitable for the output format \"\(format)\", allowed formats are: json,name,wide,yaml\n"
        )
      } else {
        let wide = line.flag("output") == "wide"
        let now = context.clock.now()
        var rows: [[String]]
        switch (group, kind.resource) {
        case ("", "nodes"):
          rows = [["NAME", "STATUS", "ROLES", "AGE", "VERSION"]] + objects.map { nodeRow($0, now) }
          if wide {
            rows[0] += [
              "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME",
            ]
            for (index, node) in objects.enumerated() { rows[index + 1] += nodeWide(node) }
          }
        case ("", "pods"):
          rows = [["NAME", "READY", "STATUS", "RESTARTS", "AGE"]] + objects.map { podRow($0, now) }
          if wide {
            rows[0] += ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]
            for (index, pod) in objects.enumerated() {
              rows[index + 1] += [
                pod[path: ["status", "podIP"]]?.string ?? "<none>",
                pod[path: ["spec", "nodeName"]]?.string ?? "<none>", "<none>", "<none>",
              ]
            }
          }
        default:
          rows =
            [["NAME", "AGE"]]
            + objects.map {
              [$0[path: ["metadata", "name"]]?.string ?? "", KubectlTable.age($0, now: now)]
            }
        }
        if allNamespaces, kind.namespaced {
          rows = rows.enumerated().map { index, row in
            [
              index == 0
                ? "NAMESPACE" : objects[index - 1][path: ["metadata", "namespace"]]?.string ?? ""
            ]
              + row
          }
        }
        context.output.out(KubectlTable.render(rows))
      }
    } else if names.isEmpty {
      context.output.err(
        namespace.map { "No resources found in \($0) namespace.\n" } ?? "No resources found\n")
    }
    if !missing.isEmpty {
      throw KubectlFailure(missing.map { "Error from server (NotFound): \($0)\n" }.joined())
    }
    _ = qualified
  }

  /// `node`, `daemonset.apps`: the name printer's kind.
  static func singularKind(_ resource: String, group: String) -> String {
    let singular =
      KubeKind.builtIn.first { $0.value.resource == resource && $0.key.hasPrefix(group + "/") }
      .map { String($0.key.split(separator: "/").last ?? "").lowercased() }
      ?? String(resource.dropLast())
    return group.isEmpty ? singular : singular + "." + group
  }

  /// NAME STATUS ROLES AGE VERSION.
  static func nodeRow(_ node: JSONValue, _ now: Date) -> [String] {
    var status = "Unknown"
    if let ready = node[path: ["status", "conditions"]]?.array?.first(where: {
      $0["type"]?.string == "Ready"
    }) {
      status = ready["status"]?.string == "True" ? "Ready" : "NotReady"
    }
    if node[path: ["spec", "unschedulable"]] == .bool(true) { status += ",SchedulingDisabled" }
    var roles: Set<String> = []
    for (label, value) in node[path: ["metadata", "labels"]]?.object ?? [:] {
      if label.hasPrefix("node-role.kubernetes.io/") {
        let role = String(label.dropFirst("node-role.kubernetes.io/".count))
        if !role.isEmpty { roles.insert(role) }
      } else if label == "kubernetes.io/role", let role = value.string, !role.isEmpty {
        roles.insert(role)
      }
    }
    return [
      node[path: ["metadata", "name"]]?.string ?? "", status,
      roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ","),
      KubectlTable.age(node, now: now),
      node[path: ["status", "nodeInfo", "kubeletVersion"]]?.string ?? "",
    ]
  }

  /// `-o wide`'s INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME.
  static func nodeWide(_ node: JSONValue) -> [String] {
    func address(_ type: String) -> String {
      node[path: ["status", "addresses"]]?.array?.first { $0["type"]?.string == type }?["address"]?
        .string ?? "<none>"
    }
    func info(_ key: String) -> String {
      node[path: ["status", "nodeInfo", key]]?.string.flatMap { $0.isEmpty ? nil : $0 }
        ?? "<unknown>"
    }
    return [
      address("InternalIP"), address("ExternalIP"), info("osImage"), info("kernelVersion"),
      info("containerRuntimeVersion"),
    ]
  }

  /// NAME READY STATUS RESTARTS AGE.
  static func podRow(_ pod: JSONValue, _ now: Date) -> [String] {
    let containers = pod[path: ["spec", "containers"]]?.array?.count ?? 0
    let statuses = pod[path: ["status", "containerStatuses"]]?.array ?? []
    let ready = statuses.filter { $0["ready"] == .bool(true) }.count
    let restarts = statuses.reduce(0) { $0 + ($1["restartCount"]?.int ?? 0) }
    let status =
      pod[path: ["status", "reason"]]?.string ?? pod[path: ["status", "phase"]]?.string ?? "Unknown"
    return [
      pod[path: ["metadata", "name"]]?.string ?? "", "\(ready)/\(containers)", status,
      String(restarts), KubectlTable.age(pod, now: now),
    ]
  }
}

enum KubeKinds {
  /// `KubeKind.resolve`, kept apart so `get` and `wait` fail the same way.
  static func resolveOrFail(_ name: String) -> (String, String, KubeKind)? {
    KubeKind.resolve(name).map { ($0.group, $0.version, $0.kind) }
  }
}
