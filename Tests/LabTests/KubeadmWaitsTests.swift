import Foundation
import Testing

@testable import Lab

/// The stand-in's shortened waits (kubeadm's `timeouts.discovery` and `timeouts.etcdAPICall`)
/// and the etcd error a failed promotion ends with.
@Suite struct KubeadmWaitsTests {
  @Test func timeoutsComeFromTheEnvironmentOrTheLabDefaults() throws {
    let plain = try KubeadmContext.from(environment: [:])
    #expect(plain.discoveryTimeout == .seconds(30))
    #expect(plain.etcdAPICallTimeout == .seconds(30))
    let set = try KubeadmContext.from(environment: [
      "HAFLOW_KUBEADM_DISCOVERY_TIMEOUT": "5s", "HAFLOW_KUBEADM_ETCD_API_TIMEOUT": "2m",
    ])
    #expect(set.discoveryTimeout == .seconds(5))
    #expect(set.etcdAPICallTimeout == .seconds(120))
    #expect(throws: KubeadmFailure.self) {
      _ = try KubeadmContext.from(environment: ["HAFLOW_KUBEADM_ETCD_API_TIMEOUT": "soon"])
    }
  }

  @Test func aFailedPromotionEndsWithEtcdsOwnAnswer() {
    let output = """
      {"level":"warn","msg":"retrying of unary invoker failed"}
      Error: etcdserver: can only promote a learner member which is in sync with leader

      """
    #expect(EtcdMembership.etcdError(output) == EtcdMembership.notInSync)
    #expect(EtcdMembership.etcdError("Member 8e9e05c52164694d promoted\n") == nil)
  }
}
