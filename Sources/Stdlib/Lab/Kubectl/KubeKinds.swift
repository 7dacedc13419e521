/// How kubectl maps a manifest's kind to a REST resource without discovery: the kinds the
/// CNI and addon manifests use, then the CustomResourceDefinitions applied so far, then
/// Kubernetes' pluralisation rule (namespaced).
struct KubeKind: Sendable, Equatable {
  /// The plural resource.
  var resource: String
  /// Whether objects live in a namespace.
  var namespaced: Bool

  /// Built-in kinds by `group/Kind` (core group: `/Kind`).
  static let builtIn: [String: KubeKind] = {
    var table: [String: KubeKind] = [:]
    let namespaced: [(String, String, String)] = [
      ("", "ConfigMap", "configmaps"), ("", "Secret", "secrets"), ("", "Pod", "pods"),
      ("", "Service", "services"), ("", "ServiceAccount", "serviceaccounts"),
      ("", "Endpoints", "endpoints"), ("", "PersistentVolumeClaim", "persistentvolumeclaims"),
      ("apps", "DaemonSet", "daemonsets"), ("apps", "Deployment", "deployments"),
      ("apps", "StatefulSet", "statefulsets"), ("apps", "ReplicaSet", "replicasets"),
      ("rbac.authorization.k8s.io", "Role", "roles"),
      ("rbac.authorization.k8s.io", "RoleBinding", "rolebindings"),
      ("policy", "PodDisruptionBudget", "poddisruptionbudgets"),
      ("batch", "Job", "jobs"), ("coordination.k8s.io", "Lease", "leases"),
    ]
    let cluster: [(String, String, String)] = [
      ("", "Namespace", "namespaces"), ("", "Node", "nodes"),
      ("", "PersistentVolume", "persistentvolumes"),
      ("rbac.authorization.k8s.io", "ClusterRole", "clusterroles"),
      ("rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings"),
      ("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions"),
      ("policy", "PodSecurityPolicy", "podsecuritypolicies"),
      ("storage.k8s.io", "StorageClass", "storageclasses"),
      ("scheduling.k8s.io", "PriorityClass", "priorityclasses"),
      (
        "admissionregistration.k8s.io", "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations"
      ),
      (
        "admissionregistration.k8s.io", "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations"
      ),
      ("apiregistration.k8s.io", "APIService", "apiservices"),
      ("certificates.k8s.io", "CertificateSigningRequest", "certificatesigningrequests"),
    ]
    for (group, kind, resource) in namespaced {
      table[group + "/" + kind] = KubeKind(resource: resource, namespaced: true)
    }
    for (group, kind, resource) in cluster {
      table[group + "/" + kind] = KubeKind(resource: resource, namespaced: false)
    }
    return table
  }()

  /// The resource for `kind` in `group`; `customResources` are the applied CRDs.
  static func lookup(group: String, kind: String, customResources: [JSONValue]) -> KubeKind {
    if let known = builtIn[group + "/" + kind] { return known }
    for crd in customResources
    where crd[path: ["spec", "group"]]?.string == group
      && crd[path: ["spec", "names", "kind"]]?.string == kind
    {
      if let plural = crd[path: ["spec", "names", "plural"]]?.string {
        return KubeKind(
          resource: plural, namespaced: crd[path: ["spec", "scope"]]?.string != "Cluster")
      }
    }
    return KubeKind(resource: plural(kind.lowercased()), namespaced: true)
  }

  /// Kubernetes' default pluralisation (`gengo`'s rule).
  static func plural(_ singular: String) -> String {
    if singular.hasSuffix("y"), let last = singular.dropLast().last, !"aeiou".contains(last) {
      return singular.dropLast() + "ies"
    }
    if singular.hasSuffix("s") || singular.hasSuffix("x") || singular.hasSuffix("ch")
      || singular.hasSuffix("sh")
    {
      return singular + "es"
    }
    return singular + "s"
  }

  /// The resource a `kubectl get|wait` argument names: `nodes`, `node`, `no`, `pods`, `po`, …
  static func resolve(_ name: String) -> (group: String, version: String, kind: KubeKind)? {
    let aliases: [String: (String, String, KubeKind)] = [
      "nodes": ("", "v1", KubeKind(resource: "nodes", namespaced: false)),
      "pods": ("", "v1", KubeKind(resource: "pods", namespaced: true)),
      "namespaces": ("", "v1", KubeKind(resource: "namespaces", namespaced: false)),
      "configmaps": ("", "v1", KubeKind(resource: "configmaps", namespaced: true)),
      "secrets": ("", "v1", KubeKind(resource: "secrets", namespaced: true)),
      "services": ("", "v1", KubeKind(resource: "services", namespaced: true)),
      "serviceaccounts": ("", "v1", KubeKind(resource: "serviceaccounts", namespaced: true)),
      "daemonsets": ("apps", "v1", KubeKind(resource: "daemonsets", namespaced: true)),
      "deployments": ("apps", "v1", KubeKind(resource: "deployments", namespaced: true)),
    ]
    let short = [
      "no": "nodes", "node": "nodes", "po": "pods", "pod": "pods", "ns": "namespaces",
      "namespace": "namespaces", "cm": "configmaps", "configmap": "configmaps",
      "secret": "secrets", "svc": "services", "service": "services", "sa": "serviceaccounts",
      "serviceaccount": "serviceaccounts", "ds": "daemonsets", "daemonset": "daemonsets",
      "deploy": "deployments", "deployment": "deployments",
    ]
    let lower = name.lowercased()
    return aliases[short[lower] ?? lower].map { (group: $0.0, version: $0.1, kind: $0.2) }
  }
}
