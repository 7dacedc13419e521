import Foundation
import Lab

/// The `haflow` executable called by the name of a lab component: `kubelet` (started by
/// `haflow lab up` in every host of a cluster lab), `kube-controller-manager` /
/// `kube-scheduler` (started by that kubelet from their static-pod manifests, idling), or
/// `systemctl` (a lab host's, for the kubelet unit; anything else goes to the real one).
enum LabComponentEntry {
  /// The component the program was started as, if any.
  static func invoked(as arguments: [String] = CommandLine.arguments) -> String? {
    guard let first = arguments.first else { return nil }
    let name = (first as NSString).lastPathComponent
    let names = ["kubelet", "systemctl"] + IdleComponent.names
    return names.contains(name) ? name : nil
  }

  /// Runs the component and exits.
  static func main(_ name: String) -> Never {
    let arguments = Array(CommandLine.arguments.dropFirst())
    switch name {
    case "kubelet":
      exit(Kubelet.main(arguments: arguments))
    case "systemctl":
      if let status = KubeletService.run(
        arguments, out: { Console.out($0) }, err: { Console.err($0) })
      {
        exit(status)
      }
      let argv = ([KubeletService.realSystemctl] + arguments).map { strdup($0) } + [nil]
      execv(KubeletService.realSystemctl, argv)
      Console.err("systemctl: cannot run \(KubeletService.realSystemctl)\n")
      exit(1)
    default:
      exit(IdleComponent.main())
    }
  }
}
