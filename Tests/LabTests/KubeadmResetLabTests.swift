import Foundation
import TestSupport
import Testing

@testable import Lab

/// `kubeadm reset` and preflight on a real lab host (127.0.0.230–.232: lb, cp1, w1): a control
/// plane whose kubelet runs real etcd and the control-plane pods fails init's preflight, then
/// reset stops every pod (the kubelet, bounded), empties the node and stops the kubelet
/// service; after it, init's preflight passes. A worker's reset says etcd is external.
@Suite(.serialized, .enabled(if: KubeletLab.canRun, "needs root, etcd and the haflow binary"))
struct KubeadmResetLabTests {
  @Test(.timeLimit(.minutes(5))) func resetStopsStaticPodsOnALabHost() async throws {
    let options = LabOptions(
      shape: LabShape(controlPlanes: 1, workers: 1, etcd: 0), firstAddress: "127.0.0.230")
    try await KubeletLab.withCluster("resettest", options) { cluster, _ in
      try cluster.sh(
        "cp1",
        "kubeadm init phase certs all && kubeadm init phase kubeconfig all && "
          + "kubeadm init phase etcd local && kubeadm init phase control-plane all")
      #expect(
        cluster.waitUntil(seconds: 60) {
          let pods = cluster.status("cp1")?.pods ?? []
          return ["etcd", "kube-scheduler"].allSatisfy { name in
            pods.contains { $0.component == name && $0.phase == "Running" }
          }
        }, "\(String(describing: cluster.status("cp1")))")
      let pids = (cluster.status("cp1")?.pods ?? []).compactMap(\.pid)
      #expect(!pids.isEmpty)

      // Preflight on a node that already has a control plane: kubeadm's errors, exit 1.
      let again = try cluster.sh("cp1", "kubeadm init", check: false)
      #expect(again.exitStatus == 1)
      for line in [
        "\t[ERROR FileAvailable--etc-kubernetes-manifests-etcd.yaml]: /etc/kubernetes/manifests/etcd.yaml already exists",
        "\t[ERROR Port-2379]: Port 2379 is in use", "\t[ERROR Port-2380]: Port 2380 is in use",
        "\t[ERROR DirAvailable--var-lib-etcd]: /var/lib/etcd is not empty",
      ] {
        #expect(again.stderr.contains(line + "\n"), "\(again.stderr)")
      }

      let started = ContinuousClock.now
      let reset = try cluster.sh("cp1", "kubeadm reset -f")
      print(
        "kubeadm reset -f on cp1 (etcd and 3 control-plane pods): \(ContinuousClock.now - started)")
      #expect(
        reset.stdout.contains(
          "[preflight] Running pre-flight checks\n[reset] Deleted contents of the etcd data "
            + "directory: /var/lib/etcd\n[reset] Stopping the kubelet service\n"), "\(reset.stdout)"
      )
      #expect(
        reset.stdout.hasSuffix("Please, check the contents of the $HOME/.kube/config file.\n"))
      // The API server cannot be asked: a warning, and the member is not removed.
      #expect(reset.stderr.contains("Unable to fetch the kubeadm-config ConfigMap from cluster: "))
      for pid in pids { #expect(!LabProcesses.isAlive(pid), "pod process \(pid) still runs") }
      let left = try cluster.sh(
        "cp1",
        "ls -A /etc/kubernetes/manifests /etc/kubernetes/pki /var/lib/etcd /var/lib/kubelet; "
          + "ls /etc/kubernetes")
      #expect(
        left.stdout
          == "/etc/kubernetes/manifests:\n\n/etc/kubernetes/pki:\n\n/var/lib/etcd:\n\n"
          + "/var/lib/kubelet:\nmanifests\npki\n", "\(left.stdout)")
      // The kubelet service is stopped, as kubeadm's reset leaves it; start brings it back.
      #expect(
        try cluster.sh("cp1", "systemctl is-active kubelet", check: false).stdout == "inactive\n")
      try cluster.sh("cp1", "systemctl start kubelet")
      #expect(try cluster.sh("cp1", "systemctl is-active kubelet").stdout == "active\n")
      // Preflight passes now (a dry run stops after it).
      let fresh = try cluster.sh("cp1", "kubeadm init --dry-run", check: false)
      #expect(fresh.exitStatus == KubeadmCLI.notBuiltStatus, "\(fresh.stderr)")

      let worker = try cluster.sh("w1", "kubeadm reset -f")
      #expect(
        worker.stdout.hasPrefix(
          "[preflight] Running pre-flight checks\n" + ResetText.noEtcd.joined(separator: "\n")))
    }
  }
}
