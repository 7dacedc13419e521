import Foundation
import Lab

/// The `haflow` executable called as `kubeadm` (a symlink in a lab host's `/usr/local/bin`):
/// hands the command line to the Lab target's stand-in and exits with its status.
enum KubeadmEntry {
  /// Whether the program was started under the name `kubeadm`.
  static func isInvoked(as arguments: [String] = CommandLine.arguments) -> Bool {
    guard let first = arguments.first else { return false }
    return (first as NSString).lastPathComponent == "kubeadm"
  }

  /// Runs the stand-in and exits.
  static func main() -> Never {
    let environment = ProcessInfo.processInfo.environment
    let output = KubeadmOutput(out: { Console.out($0) }, err: { Console.err($0) })
    let status: Int32
    do throws(KubeadmFailure) {
      let context = try KubeadmContext.from(environment: environment)
      status = KubeadmCLI.run(
        Array(CommandLine.arguments.dropFirst()), context: context, output: output)
    } catch {
      Console.err(error.message + "\n")
      status = ExitStatus.usage
    }
    exit(status)
  }
}
