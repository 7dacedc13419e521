/// The kubeadm release the stand-in plays: v1.31 or v1.32, which differ in a few words of
/// their output and in the etcd they ship.
///
/// The default is v1.32.0; `HAFLOW_KUBEADM_VERSION=v1.31.0` picks the other (the lab sets it
/// per rehearsal). The build facts are those of the published release binaries.
public struct KubeadmRelease: Sendable, Equatable {
  /// `v1.31.0` or `v1.32.0`.
  public let gitVersion: String
  /// The minor version, 31 or 32.
  public let minor: Int
  /// The commit the release was built from.
  public let gitCommit: String
  /// When the release was built.
  public let buildDate: String
  /// The Go toolchain it was built with.
  public let goVersion: String
  /// The etcd image tag its manifests name (`registry.k8s.io/etcd:<tag>`).
  public let etcdImageTag: String

  /// kubeadm v1.31.0.
  public static let v131 = KubeadmRelease(
    gitVersion: "v1.31.0", minor: 31, gitCommit: "9edcffcde5595e8a5b1a35f88c421764e575afce",
    buildDate: "2024-08-13T07:35:57Z", goVersion: "go1.22.5", etcdImageTag: "3.5.15-0")

  /// kubeadm v1.32.0.
  public static let v132 = KubeadmRelease(
    gitVersion: "v1.32.0", minor: 32, gitCommit: "70d3cc986aa8221cd1dfb1121852688902d3bf53",
    buildDate: "2024-12-11T18:04:20Z", goVersion: "go1.23.3", etcdImageTag: "3.5.16-0")

  /// The releases the stand-in can play.
  public static let all = [v131, v132]

  /// The release for `HAFLOW_KUBEADM_VERSION` in `environment` (`v1.31…`/`1.31…` or
  /// `v1.32…`), v1.32 when unset; nil for any other value.
  public static func from(environment: [String: String]) -> KubeadmRelease? {
    guard let wanted = environment["HAFLOW_KUBEADM_VERSION"], !wanted.isEmpty else { return v132 }
    let bare = wanted.hasPrefix("v") ? String(wanted.dropFirst()) : wanted
    return all.first { bare == "1.\($0.minor)" || bare.hasPrefix("1.\($0.minor).") }
  }

  /// What `kubeadm version` prints (Go's `%#v` of `version.Info`).
  public var versionLine: String {
    "kubeadm version: &version.Info{Major:\"1\", Minor:\"\(minor)\", GitVersion:\"\(gitVersion)\", "
      + "GitCommit:\"\(gitCommit)\", GitTreeState:\"clean\", BuildDate:\"\(buildDate)\", "
      + "GoVersion:\"\(goVersion)\", Compiler:\"gc\", Platform:\"linux/amd64\"}\n"
  }

  /// `kubeadm version -o yaml`.
  public var versionYAML: String {
    """
    clientVersion:
      buildDate: "\(buildDate)"
      compiler: gc
      gitCommit: \(gitCommit)
      gitTreeState: clean
      gitVersion: \(gitVersion)
      goVersion: \(goVersion)
      major: "1"
      minor: "\(minor)"
      platform: linux/amd64

    """
  }

  /// `kubeadm version -o json` (indented by two spaces, fields in the struct's order).
  public var versionJSON: String {
    """
    {
      "clientVersion": {
        "major": "1",
        "minor": "\(minor)",
        "gitVersion": "\(gitVersion)",
        "gitCommit": "\(gitCommit)",
        "gitTreeState": "clean",
        "buildDate": "\(buildDate)",
        "goVersion": "\(goVersion)",
        "compiler": "gc",
        "platform": "linux/amd64"
      }
    }

    """
  }
}
