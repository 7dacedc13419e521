import Foundation

/// `kubectl wait --for=condition=Ready node --all --timeout=…` (and `node/NAME`, `nodes NAME`,
/// pods with `-n`): polls each object once a second until its condition holds, printing
/// `node/NAME condition met`; on timeout `error: timed out waiting for the condition on
/// nodes/NAME`, exit 1. The default timeout is kubectl's 30 s.
enum KubectlWait {
  static func run(_ line: inout KubectlLine, _ context: KubectlContext) async throws(KubectlFailure)
  {
    guard let condition = line.flag("for") else {
      throw KubectlFailure("error: --for must be specified\n")
    }
    guard condition.lowercased().hasPrefix("condition=") else {
      throw KubectlFailure(
        "error: unrecognized condition: \"\(condition)\"\n")
    }
    let parts = condition.dropFirst("condition=".count).split(separator: "=", maxSplits: 1)
    guard let conditionName = parts.first.map(String.init), !conditionName.isEmpty else {
      throw KubectlFailure("error: unrecognized condition: \"\(condition)\"\n")
    }
    let wantedValue = parts.count > 1 ? String(parts[1]) : "True"
    var timeoutSeconds = 30.0
    if let text = line.flag("timeout") {
      guard let seconds = KubectlLine.goDurationSeconds(text) else {
        throw KubectlFailure(
          "error: invalid argument \"\(text)\" for \"--timeout\" flag: time: invalid duration \"\(text)\"\n"
        )
      }
      timeoutSeconds = seconds
    }
    var arguments = line.arguments
    guard !arguments.isEmpty else {
      throw KubectlFailure(
        "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n"
      )
    }
    var names: [String] = []
    var typeName = arguments.removeFirst()
    if let slash = typeName.firstIndex(of: "/") {
      names.append(String(typeName[typeName.index(after: slash)...]))
      typeName = String(typeName[..<slash])
    }
    names += arguments
    guard let (group, version, kind) = KubeKinds.resolveOrFail(typeName) else {
      throw KubectlFailure("error: the server doesn't have a resource type \"\(typeName)\"\n")
    }
    let all = line.flag("all") == "true"
    guard all || !names.isEmpty else {
      throw KubectlFailure(
        "error: resource(s) were provided, but no name was specified\n")
    }
    let apiVersion = group.isEmpty ? version : group + "/" + version
    let namespace = kind.namespaced ? context.namespace : nil
    let client = try context.client()
    let deadline = ContinuousClock.now + .milliseconds(Int64(timeoutSeconds * 1000))
    do {
      if all {
        names =
          (try await client.get(
            KubeAPIPath.collection(
              apiVersion: apiVersion, resource: kind.resource, namespace: namespace)
          )["items"]?.array ?? []).compactMap { $0[path: ["metadata", "name"]]?.string }.sorted()
        guard !names.isEmpty else { throw KubectlFailure("error: no matching resources found\n") }
      }
      let singular = KubectlGet.singularKind(kind.resource, group: group)
      let plural = group.isEmpty ? kind.resource : kind.resource + "." + group
      for name in names {
        let path = KubeAPIPath.object(
          apiVersion: apiVersion, resource: kind.resource, namespace: namespace, name: name)
        while true {
          let object = try await client.get(path)
          let met = (object[path: ["status", "conditions"]]?.array ?? []).contains {
            $0["type"]?.string?.lowercased() == conditionName.lowercased()
              && $0["status"]?.string?.lowercased() == wantedValue.lowercased()
          }
          if met {
            context.output.out("\(singular)/\(name) condition met\n")
            break
          }
          if ContinuousClock.now >= deadline {
            throw KubectlFailure(
              "error: timed out waiting for the condition on \(plural)/\(name)\n")
          }
          let left = deadline - ContinuousClock.now
          try? await Task.sleep(for: min(.seconds(1), max(left, .milliseconds(10))))
        }
      }
    } catch let error as KubectlFailure {
      throw error
    } catch let error as KubeAPIError {
      throw .api(error, server: client.server)
    } catch {
      throw KubectlFailure("error: \(error)\n")
    }
  }
}
