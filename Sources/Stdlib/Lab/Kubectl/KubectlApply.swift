import Foundation
import Yams

/// `kubectl apply -f FILE` (client-side apply): each document of the multi-document YAML (or
/// JSON; a `List`'s items one by one) is created when absent — `created` — or replaced when
/// its `kubectl.kubernetes.io/last-applied-configuration` differs — `configured` — else left
/// alone — `unchanged`. One name-printer line per object, as kubectl prints them.
enum KubectlApply {
  static let lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

  /// The environment variable naming the lab's directory of known manifests.
  static let manifestsVariable = "HAFLOW_LAB_MANIFESTS"

  /// A file's text; for an `http(s)://` URL (the lab has no internet), the file of the same
  /// last path component in `$HAFLOW_LAB_MANIFESTS` (the CNI manifests a rehearsal provides),
  /// else the error kubectl gives when the URL cannot be fetched.
  static func read(_ file: String, environment: [String: String]) throws(KubectlFailure) -> String {
    var path = file
    if file.hasPrefix("https://") || file.hasPrefix("http://") {
      let name = (URL(string: file)?.lastPathComponent).flatMap { $0.isEmpty ? nil : $0 }
      let host = URL(string: file)?.host ?? file
      guard let directory = environment[manifestsVariable], let name,
        FileManager.default.fileExists(atPath: directory + "/" + name)
      else {
        throw KubectlFailure(
          "error: unable to read URL \"\(file)\", server reported Get \"\(file)\": dial tcp: lookup \(host): no such host\n"
        )
      }
      path = directory + "/" + name
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw KubectlFailure("error: the path \"\(file)\" does not exist\n")
    }
    return String(decoding: data, as: UTF8.self)
  }

  static func run(_ line: inout KubectlLine, _ context: KubectlContext) async throws(KubectlFailure)
  {
    guard let files = line.flags["filename"], !files.isEmpty else {
      throw KubectlFailure(
        "error: must specify one of -f and -k\n")
    }
    if let extra = line.arguments.first {
      throw KubectlFailure(
        "error: Unexpected args: [\(extra)]\nSee 'kubectl apply -h' for help and examples\n")
    }
    var objects: [(file: String, object: JSONValue)] = []
    for file in files {
      let text = try read(file, environment: context.environment)
      do {
        var documents = try Yams.compose_all(yaml: text)
        while let node = documents.next() {
          let object = JSONValue(yaml: node)
          guard object.object != nil else { continue }
          if object["kind"]?.string == "List" {
            objects += (object["items"]?.array ?? []).map { (file, $0) }
          } else {
            objects.append((file, object))
          }
        }
        if let error = documents.error { throw error }
      } catch {
        throw KubectlFailure("error: error parsing \(file): \(error)\n")
      }
    }
    let client = try context.client()
    var customResources: [JSONValue]
    do throws(KubeAPIError) {
      customResources =
        try await client.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")["items"]?
        .array ?? []
    } catch {
      throw .api(error, server: client.server)
    }
    var failures = ""
    for (file, object) in objects {
      guard let apiVersion = object["apiVersion"]?.string, let kindName = object["kind"]?.string,
        let name = object[path: ["metadata", "name"]]?.string
      else {
        failures +=
          "error: error validating \"\(file)\": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false\n"
        continue
      }
      let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
      let kind = KubeKind.lookup(group: group, kind: kindName, customResources: customResources)
      var object = object
      var namespace: String?
      if kind.namespaced {
        let own = object[path: ["metadata", "namespace"]]?.string
        if let own, let flag = context.line.namespace, own != flag {
          throw KubectlFailure(
            "error: the namespace from the provided object \"\(own)\" does not match the namespace \"\(flag)\". You must pass '--namespace=\(own)' to perform this operation.\n"
          )
        }
        namespace = own ?? context.namespace
        object["metadata"]?["namespace"] = .string(namespace!)
      }
      let printed = kindName.lowercased() + (group.isEmpty ? "" : "." + group) + "/" + name
      let path = KubeAPIPath.object(
        apiVersion: apiVersion, resource: kind.resource, namespace: namespace, name: name)
      var applied = object
      if applied[path: ["metadata", "annotations"]]?.object == nil {
        applied["metadata"]?["annotations"] = .object([:])
      }
      applied["metadata"]?["annotations"]?[lastApplied] = nil
      let configuration = JSONValue.string(applied.text + "\n")
      applied["metadata"]?["annotations"]?[lastApplied] = configuration
      do throws(KubeAPIError) {
        let existing: JSONValue?
        do throws(KubeAPIError) {
          existing = try await client.get(path)
        } catch  where error.isNotFound {
          existing = nil
        }
        if let existing {
          if existing[path: ["metadata", "annotations", lastApplied]] == configuration {
            context.output.out(printed + " unchanged\n")
            continue
          }
          applied["metadata"]?["resourceVersion"] = existing[path: ["metadata", "resourceVersion"]]
          _ = try await client.replace(path, applied)
          context.output.out(printed + " configured\n")
        } else {
          _ = try await client.create(
            KubeAPIPath.collection(
              apiVersion: apiVersion, resource: kind.resource, namespace: namespace),
            applied)
          context.output.out(printed + " created\n")
        }
        if group == "apiextensions.k8s.io", kindName == "CustomResourceDefinition" {
          customResources.append(object)
        }
      } catch {
        if case .status(let code, let reason, let message) = error, code != 401 {
          failures += "Error from server (\(reason)): error when applying \"\(file)\": \(message)\n"
        } else {
          throw .api(error, server: client.server)
        }
      }
    }
    if !failures.isEmpty { throw KubectlFailure(failures) }
  }
}
