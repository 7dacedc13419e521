/// kubeadm's reading of `--kubernetes-version` / `kubernetesVersion` (`KubernetesReleaseVersion`
/// and `NormalizeKubernetesVersion`): a semantic version gets its `v` (`1.31.3` → `v1.31.3`);
/// a label (`stable`, `stable-1.31`, `latest-1`) would be fetched from dl.k8s.io, which the
/// lab cannot reach, so it falls back to the client's own version as kubeadm does offline;
/// anything else, or a version older than the oldest control plane this kubeadm deploys (one
/// minor behind it), is kubeadm's error (exit status 1).
public enum KubernetesVersion {
  /// The version `text` names for `release`'s kubeadm, or kubeadm's error.
  public static func normalize(_ text: String, release: KubeadmRelease) throws(KubeadmFailure)
    -> String
  {
    if text.isEmpty || isLabel(text) { return release.gitVersion }
    guard let version = Semantic(text) else {
      throw KubeadmFailure(
        "version \(GoQuote.quote(text)) doesn't match patterns for neither semantic version nor "
          + "labels (stable, latest, ...)")
    }
    let minimum = Semantic(major: 1, minor: release.minor - 1, patch: 0)
    if version < minimum {
      throw KubeadmFailure(
        "this version of kubeadm only supports deploying clusters with the control plane "
          + "version >= \(minimum.text). Current version: \(text)")
    }
    return text.hasPrefix("v") ? text : "v" + text
  }

  /// `^((latest|stable)+(-[1-9](\.[1-9]([0-9])?)?)?)\z`, and the `ci/` forms.
  static func isLabel(_ text: String) -> Bool {
    text.wholeMatch(of: /(ci\/|release\/)?((latest|stable)+(-[1-9](\.[1-9]([0-9])?)?)?)/) != nil
  }

  /// A semantic version as apimachinery's `ParseSemantic` compares it (build metadata ignored;
  /// a pre-release sorts before its release).
  struct Semantic: Comparable {
    var major: Int
    var minor: Int
    var patch: Int
    var preRelease = ""

    init(major: Int, minor: Int, patch: Int) {
      self.major = major
      self.minor = minor
      self.patch = patch
    }

    /// `v?MAJOR.MINOR.PATCH[-pre][+build]`, numbers without leading zeros; nil otherwise.
    init?(_ text: String) {
      guard
        let match = text.wholeMatch(
          of:
            /v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?/
        ),
        let major = Int(match.1), let minor = Int(match.2), let patch = Int(match.3)
      else { return nil }
      self.init(major: major, minor: minor, patch: patch)
      preRelease = match.4.map(String.init) ?? ""
    }

    /// `1.31.0`, as apimachinery's `Version.String()` prints it (no `v`).
    var text: String {
      "\(major).\(minor).\(patch)" + (preRelease.isEmpty ? "" : "-" + preRelease)
    }

    static func < (lhs: Semantic, rhs: Semantic) -> Bool {
      if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
        return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
      }
      // A pre-release sorts before the release; two pre-releases by their text.
      if lhs.preRelease.isEmpty != rhs.preRelease.isEmpty { return !lhs.preRelease.isEmpty }
      return lhs.preRelease < rhs.preRelease
    }
  }
}
