import Foundation
import Testing

@testable import Lab

#if canImport(Glibc)
  import Glibc
#endif

/// Stacked etcd on cp1–cp3, the kubelet's behaviour with control-plane pods, and a host
/// stopped and started.
extension Cluster {
  /// The four certificate phases a member needs, with the node's own name and address.
  static let memberCerts =
    "for c in etcd-server etcd-peer etcd-healthcheck-client apiserver-etcd-client; do "
    + "kubeadm init phase certs $c || exit 1; done"

  /// cp1's one-member etcd from `init phase etcd local`, then cp2 and cp3 added as kubeadm
  /// join --control-plane adds them (``EtcdMembership``, learners promoted).
  func stackedEtcd() throws {
    let began = ContinuousClock.now
    let cp1 = address("cp1")
    try sh(
      "cp1",
      "kubeadm init phase certs etcd-ca && \(Self.memberCerts) && kubeadm init phase etcd local")
    var output = ""
    #expect(
      try waitUntil(seconds: 60) {
        output = try health(on: "cp1", endpoint: cp1, cert: "etcd/healthcheck-client")
        return Self.healthy(output).count == 1
      }, "cp1: \(output)")
    // The kubelet moved 127.0.0.1 to cp1's address; the manifest is as kubeadm wrote it.
    let pid = try #require(status("cp1")?.pod("etcd")?.pid)
    let line = try #require(LabProcesses.commandLine(pid))
    #expect(line.hasPrefix("etcd --advertise-client-urls=https://\(cp1):2379 "), "\(line)")
    #expect(line.contains("--listen-client-urls=https://\(cp1):2379 "), "\(line)")
    #expect(line.contains("--listen-metrics-urls=http://\(cp1):2381 "), "\(line)")
    let manifest = try String(
      contentsOfFile: lab.files.fs("cp1") + "/etc/kubernetes/manifests/etcd.yaml", encoding: .utf8)
    #expect(
      manifest.contains("- --listen-client-urls=https://127.0.0.1:2379,https://\(cp1):2379\n"))

    var expected = ["cp1"]
    for name in ["cp2", "cp3"] {
      let host = KubeadmHost(root: lab.files.fs(name))
      let ca = KubeadmHost(root: lab.files.fs("cp1"))
      for (file, mode) in [("ca.crt", mode_t(0o644)), ("ca.key", 0o600)] {
        let path = "/etc/kubernetes/pki/etcd/" + file
        try host.write(try ca.read(path), to: path, mode: mode)
      }
      try sh(name, Self.memberCerts)
      let config = try InitConfigurationLoader(
        hostname: name, defaultAdvertiseAddress: address(name), release: .v132
      ).load(flags: InitFlags(), file: nil)
      var lines: [String] = []
      var warnings: [String] = []
      let members = try EtcdMembership(host: host, config: config, release: .v132)
        .addMember(
          endpoints: ["https://\(cp1):2379"], print: { lines.append($0) },
          warn: { warnings.append($0) })
      // LAB-FIDELITY §2.2: while the learner catches up, the client's JSON warnings.
      for warning in warnings {
        #expect(warning.hasPrefix(#"{"level":"warn","ts":""#), "\(warning)")
        #expect(
          warning.hasSuffix(
            #""msg":"retrying of unary invoker failed","target":"etcd-endpoints://0xc000a0e000/"#
              + cp1 + #":2379","attempt":0,"error":"rpc error: code = FailedPrecondition desc = "#
              + #"etcdserver: can only promote a learner member which is in sync with leader"}"#))
      }
      print("\(name) joined: \(warnings.count) promote warnings")
      expected.append(name)
      // In etcd's member order (by ID), the new member under its name.
      #expect(members.map(\.name).sorted() == expected)
      #expect(
        lines == [
          "[etcd] Announced new etcd member joining to the existing etcd cluster",
          "[etcd] Creating static Pod manifest for \"etcd\"",
          "[etcd] Waiting for the new etcd member to join the cluster. This can take up to 40s",
        ])
      let written = try host.readText("/etc/kubernetes/manifests/etcd.yaml")
      #expect(written.contains("- --initial-cluster-state=existing\n"))
      #expect(
        written.contains(
          "- --initial-cluster="
            + members.map { "\($0.name)=https://\(address($0.name)):2380" }
            .joined(separator: ",") + "\n"))
    }
    let list = try sh(
      "cp1",
      "etcdctl --cert /etc/kubernetes/pki/apiserver-etcd-client.crt "
        + "--key /etc/kubernetes/pki/apiserver-etcd-client.key --cacert /etc/kubernetes/pki/etcd/ca.crt "
        + "--endpoints https://\(cp1):2379 member list")
    let members = EtcdClient.parseMembers(list.stdout)
    #expect(members.map(\.name).sorted() == ["cp1", "cp2", "cp3"], "\(list.stdout)")
    #expect(members.allSatisfy { $0.status == "started" && !$0.isLearner }, "\(list.stdout)")
    output = try health(on: "cp2", endpoint: address("cp2"), cert: "etcd/healthcheck-client")
    #expect(Self.healthy(output).count == 3, "\(output)")
    print("stacked etcd: cp1 started and cp2, cp3 joined in \(ContinuousClock.now - began)")
  }

  /// The control-plane manifests become processes; a crash restarts one, a changed manifest
  /// restarts it with the new command, a removed one stops it; an unknown image fails.
  func kubeletRunsControlPlanePods() throws {
    try sh("cp1", "kubeadm init phase control-plane all")
    #expect(
      waitUntil(seconds: 20) {
        let pods = status("cp1")?.pods ?? []
        return ["kube-controller-manager", "kube-scheduler"].allSatisfy { name in
          pods.contains { $0.component == name && $0.phase == "Running" && $0.ready }
        } && pods.contains { $0.component == "kube-apiserver" }
      }, "\(String(describing: status("cp1")))")
    let first = try #require(status("cp1")?.pod("kube-scheduler")?.pid)
    #expect(
      LabProcesses.commandLine(first)?.hasPrefix("kube-scheduler --authentication-kubeconfig=")
        == true)

    // A crash: started again, counted.
    kill(first, SIGKILL)
    #expect(
      waitUntil(seconds: 20) {
        let pod = status("cp1")?.pod("kube-scheduler")
        return pod?.restarts == 1 && pod?.pid != nil && pod?.pid != first
      }, "\(String(describing: status("cp1")?.pod("kube-scheduler")))")
    let second = try #require(status("cp1")?.pod("kube-scheduler")?.pid)

    // A changed manifest: the old process stops, the new command runs.
    try sh(
      "cp1",
      "sed -i 's/--leader-elect=true/--leader-elect=false/' /etc/kubernetes/manifests/kube-scheduler.yaml"
    )
    #expect(
      waitUntil(seconds: 20) {
        guard let pid = status("cp1")?.pod("kube-scheduler")?.pid, pid != second else {
          return false
        }
        return LabProcesses.commandLine(pid)?.contains("--leader-elect=false") == true
      })
    #expect(!LabProcesses.isAlive(second))

    // An image the lab cannot run.
    try sh(
      "w1",
      """
      mkdir -p /etc/kubernetes/manifests && cat > /etc/kubernetes/manifests/web.yaml <<'EOF'
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        namespace: default
      spec:
        containers:
        - name: web
          image: docker.io/library/nginx:1.27
          command: ["nginx"]
      EOF
      """)
    #expect(
      waitUntil(seconds: 10) {
        let pod = status("w1")?.pod("web")
        return pod?.phase == "Failed" && pod?.reason?.contains("cannot run image") == true
      }, "\(String(describing: status("w1")))")

    // kubeadm reset's pod side: the manifest goes, the process goes.
    let etcd = try #require(status("cp3")?.pod("etcd")?.pid)
    try sh("cp3", "rm /etc/kubernetes/manifests/etcd.yaml")
    #expect(
      KubeletStatus.waitUntilStopped(
        host: KubeadmHost(root: lab.files.fs("cp3")), limit: .seconds(15)))
    #expect(!LabProcesses.isAlive(etcd))
    #expect(waitUntil(seconds: 5) { status("cp3")?.pod("etcd") == nil })
    // reset empties /var/lib/kubelet: the kubelet writes its status again.
    try sh("cp3", "rm -f /var/lib/kubelet/static-pods.json")
    #expect(waitUntil(seconds: 5) { status("cp3")?.node == "cp3" })

    // Logs per pod, in the host's own /var/log/pods.
    let log = lab.files.fs("cp1") + "/var/log/pods/kube-system_etcd-cp1/etcd/0.log"
    #expect((try? String(contentsOfFile: log, encoding: .utf8))?.contains("etcd") == true, "\(log)")
  }

  /// A kubelet that dies leaves its pods running; `lab up` starts a new one, which stops
  /// those leftovers and starts each pod once again.
  func deadKubeletIsReplaced(options: LabOptions) throws {
    let pidFile = lab.files.component("cp1", LabKubelet.pidFile)
    let kubelet = try #require(lab.recordedPID(pidFile))
    let scheduler = try #require(status("cp1")?.pod("kube-scheduler")?.pid)
    kill(kubelet, SIGKILL)
    #expect(waitUntil(seconds: 5) { !LabProcesses.isAlive(kubelet) })
    #expect(LabProcesses.isAlive(scheduler), "the pods outlive their kubelet")
    _ = try lab.up(options)
    let again = try #require(lab.recordedPID(pidFile))
    #expect(again != kubelet && LabKubelet.isRunning(again, "cp1", files: lab.files))
    #expect(
      waitUntil(seconds: 20) {
        guard let status = status("cp1"), status.kubeletPID == again,
          let pid = status.pod("kube-scheduler")?.pid
        else { return false }
        return pid != scheduler && !LabProcesses.isAlive(scheduler)
      }, "\(String(describing: status("cp1")))")
    let schedulers = LabIsolation.members(view: lab.files.view("cp1")).filter {
      LabProcesses.commandLine($0)?.hasPrefix("kube-scheduler ") == true
    }
    #expect(schedulers.count == 1, "one scheduler in cp1: \(schedulers)")
  }

  /// `systemctl` on a lab host, for the kubelet unit: stop freezes it (a new manifest is not
  /// started), start lets it run again; other units go to this machine's systemctl.
  func systemctlControlsTheKubelet() throws {
    let enabled = try sh(
      "w3",
      "systemctl daemon-reload && systemctl enable --now kubelet && systemctl is-active kubelet")
    #expect(enabled.stdout == "active\n")
    let stopped = try sh("w3", "systemctl stop kubelet; systemctl is-active kubelet", check: false)
    #expect(stopped.stdout == "inactive\n" && stopped.exitStatus == 3)
    try sh(
      "w3",
      """
      mkdir -p /etc/kubernetes/manifests && cat > /etc/kubernetes/manifests/kube-scheduler.yaml <<'EOF'
      apiVersion: v1
      kind: Pod
      metadata:
        name: kube-scheduler
        namespace: kube-system
      spec:
        containers:
        - name: kube-scheduler
          image: registry.k8s.io/kube-scheduler:v1.32.0
          command: ["kube-scheduler", "--leader-elect=true"]
      EOF
      """)
    Thread.sleep(forTimeInterval: 1.5)
    #expect(status("w3")?.pod("kube-scheduler") == nil, "a stopped kubelet started a pod")
    let status = try sh("w3", "systemctl start kubelet && systemctl status kubelet")
    #expect(status.stdout.contains("     Active: active (running)\n"), "\(status.stdout)")
    #expect(
      waitUntil(seconds: 10) { self.status("w3")?.pod("kube-scheduler")?.phase == "Running" })
    let other = try sh("w3", "systemctl is-active containerd", check: false)
    #expect(other.exitStatus != 0, "containerd is this machine's systemctl's business")
  }

  /// `lab stop` ends a host's kubelet and etcd; `lab start` brings them back and the member
  /// rejoins with its data.
  func stoppedHostComesBack() throws {
    let etcd = try #require(status("etcd2")?.pod("etcd")?.pid)
    let kubelet = try #require(lab.recordedPID(lab.files.component("etcd2", LabKubelet.pidFile)))
    #expect(try lab.stop(["etcd2"]) == ["etcd2"])
    #expect(!LabProcesses.isAlive(etcd) && !LabProcesses.isAlive(kubelet))
    #expect(try lab.start(["etcd2"]) == ["etcd2"])
    let again = try #require(lab.recordedPID(lab.files.component("etcd2", LabKubelet.pidFile)))
    #expect(again != kubelet && LabKubelet.isRunning(again, "etcd2", files: lab.files))
    var output = ""
    #expect(
      try waitUntil(seconds: 60) {
        output = try health(on: "etcd1", endpoint: address("etcd1"))
        return Self.healthy(output).count == 3
      }, "\(output)")
  }
}
