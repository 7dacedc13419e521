import Foundation

/// The kubectl stand-in: the `haflow` binary called as `kubectl` on a lab host. It talks to
/// the lab's API server over the network with the kubeconfig from `--kubeconfig`, else
/// `$KUBECONFIG`, else `~/.kube/config`, and supports `apply -f FILE`, `get`, `wait`,
/// `cluster-info`, `delete` and `drain` with kubectl's output and errors (exit status 1 on any error).
public enum KubectlCLI {
  /// Runs `arguments` (after the program name); returns the exit status.
  public static func run(
    _ arguments: [String], environment: [String: String], output: KubeadmOutput
  ) async -> Int32 {
    do throws(KubectlFailure) {
      var line = try KubectlLine.parse(arguments)
      let command = line.command
      let context = KubectlContext(line: line, environment: environment, output: output)
      switch command {
      case "apply": try await KubectlApply.run(&line, context)
      case "get": try await KubectlGet.run(&line, context)
      case "wait": try await KubectlWait.run(&line, context)
      case "cluster-info": try await KubectlClusterInfo.run(&line, context)
      case "delete": try await KubectlDelete.run(&line, context)
      case "drain": try await KubectlDelete.drain(&line, context)
      default: throw KubectlFailure.unknownCommand(command)
      }
      return 0
    } catch {
      output.err(error.text)
      return 1
    }
  }
}

/// What the stand-in's commands share: the parsed line, the environment, output, and the
/// API client built lazily (so flag errors come first, as in kubectl).
struct KubectlContext: Sendable {
  let line: KubectlLine
  let environment: [String: String]
  let output: KubeadmOutput

  /// The cluster clock (AGE columns).
  var clock: ClusterClock { ClusterClock(environment: environment) }

  /// The kubeconfig path kubectl would read, and whether it was named explicitly.
  var kubeconfigPath: (path: String, explicit: Bool) {
    if let path = line.kubeconfig { return (path, true) }
    if let path = environment["KUBECONFIG"], !path.isEmpty {
      return (path.split(separator: ":").first.map(String.init) ?? path, true)
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return (home + "/.kube/config", false)
  }

  /// The client for the current context.
  func client() throws(KubectlFailure) -> KubeAPIClient {
    let (path, explicit) = kubeconfigPath
    if !explicit, !FileManager.default.fileExists(atPath: path) {
      throw KubectlFailure(
        "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n"
      )
    }
    do throws(KubeAPIError) {
      let config = try KubeconfigFile.load(path: path)
      return try KubeAPIClient(kubeconfig: config, requestTimeout: line.requestTimeout)
    } catch {
      throw KubectlFailure("error: \(error.description)\n")
    }
  }

  /// The namespace for namespaced resources: `-n`, else `default`.
  var namespace: String { line.namespace ?? "default" }
}

/// A failure printed as kubectl prints it (the text carries its `error: ` prefix or
/// `Error from server (…)` form).
struct KubectlFailure: Error, Sendable {
  var text: String
  init(_ text: String) { self.text = text }

  static func unknownCommand(_ command: String) -> KubectlFailure {
    KubectlFailure(
      "error: unknown command \"\(command)\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n")
  }

  /// An API error as kubectl reports it.
  static func api(_ error: KubeAPIError, server: String) -> KubectlFailure {
    switch error {
    case .transport(_, _, let cause):
      if cause.hasSuffix("connect: connection refused"), let host = URLComponents(string: server) {
        let port = host.port.map { ":\($0)" } ?? ""
        return KubectlFailure(
          "The connection to the server \(host.host ?? "")\(port) was refused - did you specify the right host or port?\n"
        )
      }
      return KubectlFailure("Unable to connect to the server: \(cause)\n")
    case .status(401, _, _):
      return KubectlFailure("error: You must be logged in to the server (Unauthorized)\n")
    case .status(_, let reason, let message):
      return KubectlFailure(
        "Error from server\(reason.isEmpty ? "" : " (\(reason))"): \(message)\n")
    case .configuration(let message):
      return KubectlFailure("error: \(message)\n")
    }
  }
}
