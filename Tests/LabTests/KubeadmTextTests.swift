import Foundation
import Testing

@testable import Lab

/// The stand-in's output text against kubeadm's templates and published outputs
/// (../shared/reference/kubeadm: templates T01, T02, T04, T10, T12; outputs/*).
@Suite struct KubeadmTextTests {
  static let hash = "sha256:7c2e69131a36ae2a042a339b33381c6d0d43887e2de83720eff5359e26aec866"
  static let key = "f8902e114ef118304e561c3ecd4d0b543adc226b7a07f675f56564185ffe0c07"

  static func commands(key: String? = key) -> (JoinCommand, JoinCommand) {
    let controlPlane = JoinCommand(
      endpoint: "192.168.0.200:6443", token: "9vr73a.a8uxyaju799qwdjv", caCertHashes: [hash],
      controlPlane: true, certificateKey: key)
    let worker = JoinCommand(
      endpoint: "192.168.0.200:6443", token: "9vr73a.a8uxyaju799qwdjv", caCertHashes: [hash])
    return (controlPlane, worker)
  }

  @Test func joinCommandsFollowTheTabTemplate() async throws {
    // templates/T04 (v1.21+): `\` continuations, one TAB, a space after each hash.
    let (controlPlane, worker) = Self.commands()
    #expect(
      worker.text == "kubeadm join 192.168.0.200:6443 --token 9vr73a.a8uxyaju799qwdjv \\\n"
        + "\t--discovery-token-ca-cert-hash \(Self.hash) ")
    #expect(
      controlPlane.text == "kubeadm join 192.168.0.200:6443 --token 9vr73a.a8uxyaju799qwdjv \\\n"
        + "\t--discovery-token-ca-cert-hash \(Self.hash) \\\n\t--control-plane --certificate-key \(Self.key)"
    )
    #expect(Self.commands(key: nil).0.text.hasSuffix("\\\n\t--control-plane "))
    let twoPins = JoinCommand(
      endpoint: "[fd00::1]:6443", token: "abcdef.0123456789abcdef",
      caCertHashes: [Self.hash, Self.hash])
    #expect(twoPins.text.components(separatedBy: "--discovery-token-ca-cert-hash").count == 3)
    // The HA guide's one-line commands are the flattened forms (minus the trailing space).
    let guide = try? String(
      contentsOfFile: KubeadmFixtures.referenceDirectory + "/../high-availability.en.md",
      encoding: .utf8)
    #expect(guide?.contains(controlPlane.singleLine) == true)
    #expect(guide?.contains(String(worker.singleLine.dropLast())) == true)
  }

  @Test func printJoinCommandMatchesAPublishedV121Output() async throws {
    // outputs/tokencreate-05.txt (kubeadm >= v1.21; the index padded the line with spaces).
    let published = try #require(
      try KubeadmFixtures.output("tokencreate-05.txt").first { $0.hasPrefix("kubeadm join") })
    let command = JoinCommand(
      endpoint: "10.0.0.116:6443", token: "tqrvur.24yq5f7cx9hyrymi",
      caCertHashes: ["sha256:e32215ab5ecf730c9c4a5a24a2f486e273aa05fa7c6b05c16d5485c672b783a4"])
    #expect(command.singleLine.hasSuffix("a4 "))
    #expect(
      command.singleLine.trimmingCharacters(in: .whitespaces)
        == published.trimmingCharacters(in: .whitespaces))
    #expect(published.hasPrefix(command.singleLine))
  }

  @Test func initDoneTextMatchesTheV131Transcript() async throws {
    // outputs/init-partial-19.txt (terraform prefixed each line): T01 wording, with
    // controlPlaneEndpoint and --upload-certs.
    let prefix = "module.k8s.null_resource.cluster_bootstrap (remote-exec): "
    let published = try KubeadmFixtures.output("init-partial-19.txt").map {
      $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0
    }
    let (controlPlane, worker) = Self.commands()
    let text = InitDoneText(
      release: .v131, hasControlPlaneEndpoint: true, uploadCerts: true,
      joinControlPlane: controlPlane,
      joinWorker: worker
    ).text
    let ours = Array(text.components(separatedBy: "\n").dropFirst())  // the leading empty line
    #expect(Array(ours.prefix(published.count)) == published)
  }

  @Test func initDoneTextWithoutUploadCertsMatchesTheTranscript() async throws {
    // outputs/init-partial-18.txt (sealos prefixed each line): the "copying certificate
    // authorities" branch, same in T01 and T02.
    let prefix = "172.16.112.205:22: "
    let published = try KubeadmFixtures.output("init-partial-18.txt").map {
      $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0
    }
    let start = try #require(published.firstIndex { $0.hasPrefix("Your Kubernetes control-plane") })
    let (controlPlane, worker) = Self.commands(key: nil)
    let text = InitDoneText(
      release: .v132, hasControlPlaneEndpoint: true, uploadCerts: false,
      joinControlPlane: controlPlane,
      joinWorker: worker
    ).text
    let ours = Array(text.components(separatedBy: "\n").dropFirst())
    let expected = Array(published[start...])
    #expect(Array(ours.prefix(expected.count)) == expected)
    #expect(published[start - 1] == "", "the text starts with an empty line")
    #expect(text.hasPrefix("\nYour Kubernetes control-plane has initialized successfully!\n"))
  }

  @Test func initDoneTextRendersT02ForV132() async throws {
    let (controlPlane, worker) = Self.commands()
    let text = InitDoneText(
      release: .v132, hasControlPlaneEndpoint: true, uploadCerts: true,
      joinControlPlane: controlPlane,
      joinWorker: worker
    ).text
    let expected = """

      Your Kubernetes control-plane has initialized successfully!

      To start using your cluster, you need to run the following as a regular user:

        mkdir -p $HOME/.kube
        sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config
        sudo chown $(id -u):$(id -g) $HOME/.kube/config

      Alternatively, if you are the root user, you can run:

        export KUBECONFIG=/etc/kubernetes/admin.conf

      You should now deploy a pod network to the cluster.
      Run "kubectl apply -f [podnetwork].yaml" with one of the options listed at:
        https://kubernetes.io/docs/concepts/cluster-administration/addons/

      You can now join any number of control-plane nodes running the following command on each as root:

        kubeadm join 192.168.0.200:6443 --token 9vr73a.a8uxyaju799qwdjv \\
      \t--discovery-token-ca-cert-hash \(Self.hash) \\
      \t--control-plane --certificate-key \(Self.key)

      Please note that the certificate-key gives access to cluster sensitive data, keep it secret!
      As a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can use
      "kubeadm init phase upload-certs --upload-certs" to reload certs afterward.

      Then you can join any number of worker nodes by running the following on each as root:

      kubeadm join 192.168.0.200:6443 --token 9vr73a.a8uxyaju799qwdjv \\
      \t--discovery-token-ca-cert-hash \(Self.hash) \n
      """
    #expect(text == expected)
    // Without a control-plane endpoint only the worker command is shown.
    let alone = InitDoneText(
      release: .v132, hasControlPlaneEndpoint: false, uploadCerts: true,
      joinControlPlane: controlPlane,
      joinWorker: worker
    ).text
    #expect(!alone.contains("control-plane nodes"))
    #expect(alone.contains("addons/\n\nThen you can join any number of worker nodes"))
  }

  @Test func uploadCertsLinesMatchThePublishedOutput() async throws {
    // outputs/uploadcerts-02.txt (the Secret wording kubeadm still prints; templates/T10).
    let published = try KubeadmFixtures.output("uploadcerts-02.txt")
    #expect(UploadCertsText.uploaded(key: published[2]) == published)
    #expect(UploadCertsText.uploaded(key: published[2], printKey: false) == [published[0]])
    #expect(UploadCertsText.skipped == "[upload-certs] Skipping phase. Please see --upload-certs")
  }
}
