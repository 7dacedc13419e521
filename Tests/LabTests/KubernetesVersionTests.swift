import Foundation
import Testing

@testable import Lab

/// `--kubernetes-version` as kubeadm v1.31/v1.32 reads it (`KubernetesReleaseVersion`,
/// `NormalizeKubernetesVersion` in `cmd/kubeadm/app/util/version.go` and `config/common.go`).
@Suite struct KubernetesVersionTests {
  @Test func versionsAndLabels() throws {
    #expect(try KubernetesVersion.normalize("v1.31.3", release: .v132) == "v1.31.3")
    #expect(try KubernetesVersion.normalize("1.32.1", release: .v132) == "v1.32.1")
    #expect(try KubernetesVersion.normalize("v1.33.0", release: .v132) == "v1.33.0")
    #expect(try KubernetesVersion.normalize("v1.32.0-rc.1", release: .v132) == "v1.32.0-rc.1")
    // Labels need dl.k8s.io; offline, kubeadm falls back to its own version.
    for label in ["", "stable", "stable-1", "stable-1.31", "latest-1.32", "ci/latest"] {
      #expect(try KubernetesVersion.normalize(label, release: .v132) == "v1.32.0", "\(label)")
    }
    #expect(try KubernetesVersion.normalize("stable", release: .v131) == "v1.31.0")
  }

  @Test func tooOldOrNotAVersionFails() {
    func message(_ text: String, _ release: KubeadmRelease = .v132) -> String? {
      do throws(KubeadmFailure) {
        _ = try KubernetesVersion.normalize(text, release: release)
        return nil
      } catch {
        return error.status == 1 ? error.message : "status \(error.status)"
      }
    }
    #expect(
      message("v1.30.9")
        == "this version of kubeadm only supports deploying clusters with the control plane "
        + "version >= 1.31.0. Current version: v1.30.9")
    #expect(
      message("v1.31.0-beta.0")?.hasSuffix(">= 1.31.0. Current version: v1.31.0-beta.0") == true)
    #expect(message("v1.30.0", .v131) == nil)
    #expect(message("v1.29.5", .v131)?.contains(">= 1.30.0. Current version: v1.29.5") == true)
    #expect(
      message("bogus")
        == "version \"bogus\" doesn't match patterns for neither semantic version nor labels "
        + "(stable, latest, ...)")
    #expect(message("v1.32") != nil && message("v01.32.0") != nil)
  }

  /// Through the command line: the error comes before anything is printed.
  @Test func initRefusesAnOldControlPlane() async throws {
    let root = try KubeadmRoot()
    let old = await kubeadm("init", "--kubernetes-version", "v1.20.0", "--dry-run", root: root)
    #expect(old.status == 1 && old.out.isEmpty)
    #expect(
      old.err.hasPrefix(
        "this version of kubeadm only supports deploying clusters with the control plane version >= 1.31.0. Current version: v1.20.0\n"
      ), "\(old.err)")
    let bare = await kubeadm("init", "--kubernetes-version", "1.31.3", "--dry-run", root: root)
    #expect(bare.out.hasPrefix("[init] Using Kubernetes version: v1.31.3\n"), "\(bare.out)")
  }
}
