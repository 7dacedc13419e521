import Foundation
import Lab

/// The `haflow` executable called by the name of a lab component: `kubelet` (started by
/// `haflow lab up` in every host of a cluster lab), or `kube-controller-manager` /
/// `kube-scheduler` (started by that kubelet from their static-pod manifests, idling).
enum LabComponentEntry {
  /// The component the program was started as, if any.
  static func invoked(as arguments: [String] = CommandLine.arguments) -> String? {
    guard let first = arguments.first else { return nil }
    let name = (first as NSString).lastPathComponent
    return name == "kubelet" || IdleComponent.names.contains(name) ? name : nil
  }

  /// Runs the component and exits.
  static func main(_ name: String) -> Never {
    if name == "kubelet" { exit(Kubelet.main(arguments: Array(CommandLine.arguments.dropFirst()))) }
    exit(IdleComponent.main())
  }
}
