import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The controller manager and scheduler of the lab: the haflow binary called
/// `kube-controller-manager` or `kube-scheduler`, doing nothing until it is stopped, so that
/// the kubelet shows the pod running and `ps` shows the manifest's command line. The lab runs
/// no Kubernetes controllers.
public enum IdleComponent {
  /// The names the haflow binary idles under.
  public static let names = ["kube-controller-manager", "kube-scheduler"]

  /// Waits for SIGTERM, SIGINT or SIGHUP; returns 0.
  public static func main() -> Int32 {
    var signals = sigset_t()
    sigemptyset(&signals)
    for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, signal) }
    pthread_sigmask(SIG_BLOCK, &signals, nil)
    var received: Int32 = 0
    while sigwait(&signals, &received) != 0 {}
    return 0
  }
}
