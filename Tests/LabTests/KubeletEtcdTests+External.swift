import Foundation
import Interpreter
import Testing

@testable import Lab

/// setup-ha-etcd-with-kubeadm.en.md on etcd1–etcd3, over SSH, as the page writes it.
extension Cluster {
  /// The recipe's script on HOST0 (etcd1): the three `kubeadmcfg.yaml`, the etcd CA, each
  /// member's certificates, and the clean-up of what must not be copied.
  func recipeScript() -> String {
    let (h0, h1, h2) = (address("etcd1"), address("etcd2"), address("etcd3"))
    return """
      set -e
      export HOST0=\(h0)
      export HOST1=\(h1)
      export HOST2=\(h2)
      export NAME0="etcd1"
      export NAME1="etcd2"
      export NAME2="etcd3"
      mkdir -p /tmp/${HOST0}/ /tmp/${HOST1}/ /tmp/${HOST2}/
      HOSTS=(${HOST0} ${HOST1} ${HOST2})
      NAMES=(${NAME0} ${NAME1} ${NAME2})
      for i in "${!HOSTS[@]}"; do
      HOST=${HOSTS[$i]}
      NAME=${NAMES[$i]}
      cat << EOF > /tmp/${HOST}/kubeadmcfg.yaml
      ---
      apiVersion: "kubeadm.k8s.io/v1beta4"
      kind: InitConfiguration
      nodeRegistration:
          name: ${NAME}
      localAPIEndpoint:
          advertiseAddress: ${HOST}
      ---
      apiVersion: "kubeadm.k8s.io/v1beta4"
      kind: ClusterConfiguration
      etcd:
          local:
              serverCertSANs:
              - "${HOST}"
              peerCertSANs:
              - "${HOST}"
              extraArgs:
              - name: initial-cluster
                value: ${NAMES[0]}=https://${HOSTS[0]}:2380,${NAMES[1]}=https://${HOSTS[1]}:2380,${NAMES[2]}=https://${HOSTS[2]}:2380
              - name: initial-cluster-state
                value: new
              - name: name
                value: ${NAME}
              - name: listen-peer-urls
                value: https://${HOST}:2380
              - name: listen-client-urls
                value: https://${HOST}:2379
              - name: advertise-client-urls
                value: https://${HOST}:2379
              - name: initial-advertise-peer-urls
                value: https://${HOST}:2380
      EOF
      done
      kubeadm init phase certs etcd-ca
      kubeadm init phase certs etcd-server --config=/tmp/${HOST2}/kubeadmcfg.yaml
      kubeadm init phase certs etcd-peer --config=/tmp/${HOST2}/kubeadmcfg.yaml
      kubeadm init phase certs etcd-healthcheck-client --config=/tmp/${HOST2}/kubeadmcfg.yaml
      kubeadm init phase certs apiserver-etcd-client --config=/tmp/${HOST2}/kubeadmcfg.yaml
      cp -R /etc/kubernetes/pki /tmp/${HOST2}/
      # cleanup non-reusable certificates
      find /etc/kubernetes/pki -not -name ca.crt -not -name ca.key -type f -delete
      kubeadm init phase certs etcd-server --config=/tmp/${HOST1}/kubeadmcfg.yaml
      kubeadm init phase certs etcd-peer --config=/tmp/${HOST1}/kubeadmcfg.yaml
      kubeadm init phase certs etcd-healthcheck-client --config=/tmp/${HOST1}/kubeadmcfg.yaml
      kubeadm init phase certs apiserver-etcd-client --config=/tmp/${HOST1}/kubeadmcfg.yaml
      cp -R /etc/kubernetes/pki /tmp/${HOST1}/
      find /etc/kubernetes/pki -not -name ca.crt -not -name ca.key -type f -delete
      kubeadm init phase certs etcd-server --config=/tmp/${HOST0}/kubeadmcfg.yaml
      kubeadm init phase certs etcd-peer --config=/tmp/${HOST0}/kubeadmcfg.yaml
      kubeadm init phase certs etcd-healthcheck-client --config=/tmp/${HOST0}/kubeadmcfg.yaml
      kubeadm init phase certs apiserver-etcd-client --config=/tmp/${HOST0}/kubeadmcfg.yaml
      # No need to move the certs because they are for HOST0
      # clean up certs that should not be copied off this host
      find /tmp/${HOST2} -name ca.key -type f -delete
      find /tmp/${HOST1} -name ca.key -type f -delete
      """
  }

  /// The recipe end to end: certificates on etcd1, copied with `scp` as `ubuntu`, moved into
  /// place with sudo, a manifest on each host, and `etcdctl endpoint health` as the page shows.
  func externalEtcdRecipe() throws {
    let began = ContinuousClock.now
    try sh("etcd1", "bash -c \(ShellQuote.quote(recipeScript()))")
    for name in ["etcd2", "etcd3"] {
      let host = try #require(state.host(named: name))
      // scp -r /tmp/${HOST}/* ${USER}@${HOST}: — from etcd1's files, with the lab's key.
      let source = lab.files.fs("etcd1") + "/tmp/" + host.address
      let entries = try FileManager.default.contentsOfDirectory(atPath: source).sorted()
      #expect(entries == ["kubeadmcfg.yaml", "pki"])
      let scp = try LabSpawn.run(
        [
          "scp", "-r", "-q", "-P", String(host.port), "-i", lab.files.clientKey, "-o",
          "UserKnownHostsFile=" + lab.files.knownHosts, "-o", "StrictHostKeyChecking=yes", "-o",
          "IdentitiesOnly=yes", "-o", "BatchMode=yes",
        ] + entries.map { source + "/" + $0 } + ["ubuntu@\(host.address):"])
      #expect(scp.status == 0, "scp to \(name): \(scp.output)")
      try sh(
        name,
        "cd /home/ubuntu && sudo chown -R root:root pki && sudo mv pki /etc/kubernetes/ "
          + "&& test ! -e /etc/kubernetes/pki/etcd/ca.key")
    }
    let h0 = address("etcd1")
    try sh("etcd1", "kubeadm init phase etcd local --config=/tmp/\(h0)/kubeadmcfg.yaml")
    for name in ["etcd2", "etcd3"] {
      let out = try sh(
        name, "HOME=/home/ubuntu; kubeadm init phase etcd local --config=$HOME/kubeadmcfg.yaml")
      #expect(
        out.stdout
          == "[etcd] Creating static Pod manifest for local etcd in \"/etc/kubernetes/manifests\"\n"
      )
    }
    var output = ""
    let healthy = try waitUntil(seconds: 90) {
      output = try health(on: "etcd1", endpoint: h0)
      return Self.healthy(output).count == 3
    }
    print("external etcd: 3 members healthy \(ContinuousClock.now - began) after the recipe began")
    #expect(healthy, "endpoint health --cluster:\n\(output)")
    let endpoints = Set(Self.healthy(output).map { String($0.prefix { $0 != " " }) })
    #expect(endpoints == Set(["etcd1", "etcd2", "etcd3"].map { "https://\(address($0)):2379" }))
    // Each member is the kubelet's etcd pod, ready.
    for name in ["etcd1", "etcd2", "etcd3"] {
      let pod = status(name)?.pod("etcd")
      #expect(pod?.name == "etcd-\(name)" && pod?.phase == "Running", "\(String(describing: pod))")
      #expect(waitUntil(seconds: 10) { status(name)?.pod("etcd")?.ready == true }, "\(name) ready")
    }
    let list = try sh(
      "etcd2",
      "etcdctl --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt "
        + "--key /etc/kubernetes/pki/etcd/healthcheck-client.key --cacert /etc/kubernetes/pki/etcd/ca.crt "
        + "--endpoints https://\(address("etcd2")):2379 member list")
    #expect(list.stdout.split(separator: "\n").filter { $0.contains(", started, etcd") }.count == 3)
  }
}
