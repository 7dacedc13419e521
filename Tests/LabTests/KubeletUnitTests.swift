import Foundation
import Testing

@testable import Lab

/// The lab kubelet's pure parts: reading kubeadm's own manifests, the launcher table, and the
/// 127.0.0.1 rewrite (lab hosts share one network namespace).
@Suite struct KubeletUnitTests {
  /// A kubeadm node config for cp1 at 127.0.0.3.
  static func writer() throws -> StaticPodWriter {
    let config = try InitConfigurationLoader(
      hostname: "cp1", defaultAdvertiseAddress: "127.0.0.3", release: .v132
    ).load(flags: InitFlags(), file: nil)
    return StaticPodWriter(host: KubeadmHost(), config: config, release: .v132)
  }

  @Test func readsKubeadmsEtcdManifest() throws {
    let manifest = try StaticPodManifest.parse(try Self.writer().etcdManifest())
    #expect(manifest.name == "etcd" && manifest.namespace == "kube-system")
    #expect(manifest.container == "etcd" && manifest.imageName == "etcd")
    #expect(manifest.command.first == "etcd")
    #expect(
      manifest.command.contains(
        "--listen-client-urls=https://127.0.0.1:2379,https://127.0.0.3:2379"))
    #expect(
      manifest.readiness
        == StaticPodManifest.Probe(scheme: "HTTP", host: "127.0.0.1", port: 2381, path: "/readyz"))
    #expect(try KubeletLauncher.launcher(for: manifest).get() == .program("/usr/bin/etcd"))

    let command = KubeletLauncher.program("/usr/bin/etcd").command(
      for: manifest, address: "127.0.0.3", haflow: "/x/haflow")
    #expect(command.path == "/usr/bin/etcd" && command.arguments.first == "etcd")
    // 127.0.0.1 moves to the host's address, and the list keeps each URL once.
    #expect(command.arguments.contains("--listen-client-urls=https://127.0.0.3:2379"))
    #expect(command.arguments.contains("--listen-metrics-urls=http://127.0.0.3:2381"))
    #expect(!command.arguments.joined().contains("127.0.0.1"))
  }

  @Test func controlPlaneComponentsRunAsHaflow() throws {
    let writer = try Self.writer()
    for (component, launcher) in [
      (StaticPodComponent.apiServer, KubeletLauncher.haflow), (.controllerManager, .idle),
      (.scheduler, .idle),
    ] {
      let manifest = try StaticPodManifest.parse(writer.manifest(component))
      #expect(try KubeletLauncher.launcher(for: manifest).get() == launcher)
      let command = launcher.command(for: manifest, address: "127.0.0.3", haflow: "/x/haflow")
      #expect(command.path == "/x/haflow")
      #expect(command.arguments.first == component.rawValue)
    }
    let apiServer = try StaticPodManifest.parse(writer.manifest(.apiServer))
    let command = KubeletLauncher.haflow.command(
      for: apiServer, address: "127.0.0.3", haflow: "/x/haflow")
    #expect(command.arguments.contains("--etcd-servers=https://127.0.0.3:2379"))
    #expect(apiServer.readiness?.scheme == "HTTPS" && apiServer.readiness?.port == 6443)
  }

  /// The idle controller manager and scheduler hold their secure port on the host's address
  /// (kubeadm's `--bind-address=127.0.0.1`, moved by the kubelet), so preflight sees it taken.
  @Test func idleComponentsHoldTheirSecurePorts() throws {
    let writer = try Self.writer()
    let address = "127.0.0.147"
    for (component, port) in [
      (StaticPodComponent.controllerManager, 10257), (.scheduler, 10259),
    ] {
      let manifest = try StaticPodManifest.parse(writer.manifest(component))
      let command = KubeletLauncher.idle.command(for: manifest, address: address, haflow: "/x")
      let endpoint = try #require(IdleComponent.endpoint(command.arguments))
      #expect(endpoint.address == address && endpoint.port == port)
      #expect(PortBinding.isFree(address, port))
      let fd = try #require(IdleComponent.listen(address: address, port: port))
      #expect(!PortBinding.isFree(address, port))
      #expect(IdleComponent.listen(address: address, port: port) == nil, "taken: idles anyway")
      close(fd)
      #expect(PortBinding.isFree(address, port))
    }
    #expect(IdleComponent.endpoint(["kube-scheduler", "--secure-port=1"]) == nil)
    #expect(
      IdleComponent.endpoint(["kube-scheduler", "--bind-address=127.0.0.5", "--secure-port=1"])?
        .port == 1)
  }

  @Test func unknownImagesAndBadManifestsFail() throws {
    let web = try StaticPodManifest.parse(
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        containers:
        - name: web
          image: docker.io/library/nginx:1.27
          command: ["nginx", "-g", "daemon off;"]
      """)
    #expect(web.imageName == "nginx" && web.namespace == "default")
    guard case .failure(let error) = KubeletLauncher.launcher(for: web) else {
      Issue.record("nginx has a launcher")
      return
    }
    #expect(
      error.message
        == "the lab cannot run image \"docker.io/library/nginx:1.27\" (container web): its kubelet "
        + "runs only etcd, kube-apiserver, kube-controller-manager, kube-scheduler")
    #expect(throws: LabError("kind is not Pod")) {
      try StaticPodManifest.parse("kind: Deployment\nmetadata: {name: x}\n")
    }
    let pod = KubeletPod(file: "/m/bad.yaml", content: Data("- [".utf8), now: .now)
    #expect(pod.status(node: "cp1").phase == "Failed")
    #expect(pod.status(node: "cp1").name == "bad-cp1")
  }

  @Test func rewriteTouchesOnlyTheLoopbackAddress() {
    #expect(
      KubeletAddresses.rewrite(
        ["--a=https://127.0.0.1:2379,https://127.0.0.9:2379", "--b=127.0.0.10", "--c=x127.0.0.1"],
        to: "127.0.0.9")
        == ["--a=https://127.0.0.9:2379", "--b=127.0.0.10", "--c=x127.0.0.9"])
    #expect(
      KubeletAddresses.rewrite(["--bind-address=127.0.0.1"], to: "127.0.0.4") == [
        "--bind-address=127.0.0.4"
      ])
  }

  @Test func settingsRoundTrip() throws {
    var settings = KubeletSettings(nodeName: "cp1", nodeIP: "127.0.0.3")
    settings.lab = "/run/haflow-lab/x/hosts/cp1"
    #expect(try KubeletSettings.parse(settings.arguments) == settings)
    #expect(throws: LabError("kubelet: unknown flag: --bogus")) {
      try KubeletSettings.parse(["--bogus=1"])
    }
  }

  @Test func systemctlAnswersForTheKubeletUnitOnly() {
    var out = ""
    var err = ""
    func run(_ arguments: String...) -> Int32? {
      out = ""
      err = ""
      return KubeletService.run(arguments, out: { out += $0 }, err: { err += $0 })
    }
    #expect(run("daemon-reload") == 0 && out.isEmpty)
    #expect(run("is-enabled", "kubelet.service") == 0 && out == "enabled\n")
    #expect(run("enable", "kubelet") == 0)
    // No kubelet in this (the test's) mount namespace.
    #expect(run("is-active", "kubelet") == 3 && out == "inactive\n")
    #expect(run("status", "kubelet") == 3 && out.contains("     Active: inactive (dead)\n"))
    #expect(run("restart", "kubelet") == 1 && err.hasPrefix("Job for kubelet.service failed"))
    // Everything else is the real systemctl's.
    #expect(run("restart", "containerd") == nil)
    #expect(run("restart", "kubelet", "containerd") == nil)
    #expect(run("list-units") == nil)
  }

  @Test func parsesEtcdctlMemberList() {
    let members = EtcdClient.parseMembers(
      """
      8e9e05c52164694d, started, cp1, https://127.0.0.3:2380, https://127.0.0.3:2379, false
      91bc3c398fb3c146, unstarted, , https://127.0.0.4:2380, , true
      """)
    #expect(members.count == 2)
    #expect(members[0].name == "cp1" && members[0].clientURLs == ["https://127.0.0.3:2379"])
    #expect(members[1].status == "unstarted" && members[1].name.isEmpty && members[1].isLearner)
  }
}
