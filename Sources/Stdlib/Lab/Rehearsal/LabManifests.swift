import Foundation

/// The manifests a cluster lab serves in place of the internet: the lab has no network beyond
/// loopback, so the `kubectl` stand-in reads an `apply -f https://…/NAME` from the lab's copy
/// of NAME (`HAFLOW_LAB_MANIFESTS`, set for every SSH session and kept by the hosts' sudo).
/// Each host sees them read-only at `<its view>/manifests/`.
public enum LabManifests {
  /// The directory, under a host's own lab directory, that holds the manifests.
  public static let directory = "manifests"
  /// The CNI manifest a rehearsal gives a playbook's `cni_manifest` param: flannel's
  /// published URL, which the lab's kubectl answers from its copy of `kube-flannel.yml`.
  public static let cniURL =
    "https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml"

  /// The files served, by name.
  public static let files: [String: String] = ["kube-flannel.yml": flannel]

  /// Whether `reference` (a URL or a path) names a manifest the lab serves: its last path
  /// component is one of ``files``.
  public static func serves(_ reference: String) -> Bool {
    let trimmed = reference.split(separator: "?").first.map(String.init) ?? reference
    guard trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://") else { return false }
    let name = (trimmed as NSString).lastPathComponent
    return files[name] != nil
  }

  /// Writes every manifest into `directory` (created when missing).
  static func write(into directory: String) throws {
    try LabFiles.makeDirectory(directory, mode: 0o755)
    for (name, text) in files {
      try LabFiles.write(text, to: directory + "/" + name)
    }
  }

  /// flannel's manifest, shaped as the release's `kube-flannel.yml` (namespace, RBAC, service
  /// account, ConfigMap, DaemonSet): the lab's API server counts a DaemonSet in
  /// `kube-flannel` as a CNI, so nodes turn Ready once it is applied. The lab runs no pods
  /// from it.
  static let flannel = """
    # kube-flannel.yml as served by the haflow rehearsal lab (shaped like flannel v0.26.1's
    # release manifest). The lab runs no containers: applying it makes the lab's API server
    # see a CNI, so nodes become Ready and the DaemonSet shows one pod per node.
    apiVersion: v1
    kind: Namespace
    metadata:
      labels:
        k8s-app: flannel
        pod-security.kubernetes.io/enforce: privileged
      name: kube-flannel
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      labels:
        k8s-app: flannel
      name: flannel
    rules:
    - apiGroups:
      - ""
      resources:
      - pods
      verbs:
      - get
    - apiGroups:
      - ""
      resources:
      - nodes
      verbs:
      - get
      - list
      - watch
    - apiGroups:
      - ""
      resources:
      - nodes/status
      verbs:
      - patch
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata:
      labels:
        k8s-app: flannel
      name: flannel
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: flannel
    subjects:
    - kind: ServiceAccount
      name: flannel
      namespace: kube-flannel
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      labels:
        k8s-app: flannel
      name: flannel
      namespace: kube-flannel
    ---
    apiVersion: v1
    data:
      cni-conf.json: |
        {
          "name": "cbr0",
          "cniVersion": "0.3.1",
          "plugins": [
            {
              "type": "flannel",
              "delegate": {
                "hairpinMode": true,
                "isDefaultGateway": true
              }
            },
            {
              "type": "portmap",
              "capabilities": {
                "portMappings": true
              }
            }
          ]
        }
      net-conf.json: |
        {
          "Network": "10.244.0.0/16",
          "EnableNFTables": false,
          "Backend": {
            "Type": "vxlan"
          }
        }
    kind: ConfigMap
    metadata:
      labels:
        app: flannel
        k8s-app: flannel
        tier: node
      name: kube-flannel-cfg
      namespace: kube-flannel
    ---
    apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      labels:
        app: flannel
        k8s-app: flannel
        tier: node
      name: kube-flannel-ds
      namespace: kube-flannel
    spec:
      selector:
        matchLabels:
          app: flannel
          k8s-app: flannel
      template:
        metadata:
          labels:
            app: flannel
            k8s-app: flannel
            tier: node
        spec:
          containers:
          - args:
            - --ip-masq
            - --kube-subnet-mgr
            command:
            - /opt/bin/flanneld
            image: docker.io/flannel/flannel:v0.26.1
            name: kube-flannel
            securityContext:
              privileged: false
          hostNetwork: true
          priorityClassName: system-node-critical
          serviceAccountName: flannel
          tolerations:
          - effect: NoSchedule
            operator: Exists

    """
}
