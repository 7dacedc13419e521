import Foundation
import Lab

/// The `haflow` executable called as `kube-apiserver` (started by the lab kubelet from
/// kubeadm's manifest) or `kubectl` (a symlink in a lab host's `/usr/local/bin`): hands the
/// command line to the Lab target's stand-in and exits with its status.
enum LabStandInEntry {
  /// The stand-in for the program's name, if it is one of these.
  static func invokedName(_ arguments: [String] = CommandLine.arguments) -> String? {
    guard let first = arguments.first else { return nil }
    let name = (first as NSString).lastPathComponent
    return ["kube-apiserver", "kubectl"].contains(name) ? name : nil
  }

  /// Runs the stand-in named `name` and exits.
  static func main(_ name: String) -> Never {
    let environment = ProcessInfo.processInfo.environment
    let arguments = Array(CommandLine.arguments.dropFirst())
    let output = KubeadmOutput(out: { Console.out($0) }, err: { Console.err($0) })
    let status: Int32
    if name == "kube-apiserver" {
      status = KubeAPIServer.main(arguments: arguments, environment: environment, err: output.err)
    } else {
      status = runBlocking {
        await KubectlCLI.run(arguments, environment: environment, output: output)
      }
    }
    exit(status)
  }
}
