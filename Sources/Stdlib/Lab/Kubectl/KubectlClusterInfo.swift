/// `kubectl cluster-info`: the control plane's URL, then each Service labelled
/// `kubernetes.io/cluster-service=true` in kube-system with its proxy URL, names in green and
/// URLs in yellow (ANSI, as kubectl's go-colortext writes them: `ESC[0;32m` ... `ESC[0m`, none
/// when `TERM=dumb`), then the dump hint.
enum KubectlClusterInfo {
  static let green = "\u{1B}[0;32m"
  static let yellow = "\u{1B}[0;33m"
  static let reset = "\u{1B}[0m"

  static func run(_ line: inout KubectlLine, _ context: KubectlContext) async throws(KubectlFailure)
  {
    if let extra = line.arguments.first {
      throw KubectlFailure(
        "error: unknown command \"\(extra)\" for \"kubectl cluster-info\"\nRun 'kubectl cluster-info --help' for usage.\n"
      )
    }
    let client = try context.client()
    let namespace = line.namespace ?? "kube-system"
    let plain = context.environment["TERM"] == "dumb"
    var text = service("Kubernetes control plane", client.server, plain: plain)
    do throws(KubeAPIError) {
      let services =
        try await client.get(
          KubeAPIPath.collection(apiVersion: "v1", resource: "services", namespace: namespace))[
          "items"]?.array ?? []
      for service in services
      where service[path: ["metadata", "labels", "kubernetes.io/cluster-service"]]?.string == "true"
      {
        let name = service[path: ["metadata", "name"]]?.string ?? ""
        let shown = service[path: ["metadata", "labels", "kubernetes.io/name"]]?.string ?? name
        let port = service[path: ["spec", "ports"]]?.array?.first
        var target = name
        if let portName = port?["name"]?.string, !portName.isEmpty {
          target += ":" + portName
        }
        text += self.service(
          shown, client.server + "/api/v1/namespaces/\(namespace)/services/\(target)/proxy",
          plain: plain)
      }
    } catch {
      throw .api(error, server: client.server)
    }
    context.output.out(
      text + "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")
  }

  private static func service(_ name: String, _ url: String, plain: Bool) -> String {
    if plain { return name + " is running at " + url + "\n" }
    return green + name + reset + " is running at " + yellow + url + reset + "\n"
  }
}
