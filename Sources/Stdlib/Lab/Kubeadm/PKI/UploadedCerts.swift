import Crypto
import Foundation

/// The `kubeadm-certs` Secret's content: the shared CA files, each encrypted with the
/// certificate key (AES-256-GCM, the random nonce in front, as kubeadm's `EncryptBytes`), and
/// how a joining control plane writes them back.
public enum UploadedCerts {
  /// One shared file: its Secret data key and its path.
  public struct Entry: Sendable, Equatable {
    /// The Secret data key (`etcd-ca.crt` for `etcd/ca.crt`).
    public let secretKey: String
    /// The file's path.
    public let path: String
  }

  /// The files `upload-certs` shares (`certsToTransfer`): the CAs and the service-account
  /// pair, plus etcd's CA for stacked etcd or the external etcd client files.
  public static func entries(_ cluster: ClusterConfiguration) -> [Entry] {
    let dir = cluster.certificatesDir
    var entries = [
      "ca.crt", "ca.key", "front-proxy-ca.crt", "front-proxy-ca.key", "sa.pub", "sa.key",
    ]
    .map { Entry(secretKey: $0, path: dir + "/" + $0) }
    switch cluster.etcd {
    case .local:
      entries += ["etcd/ca.crt", "etcd/ca.key"].map {
        Entry(secretKey: $0.replacingOccurrences(of: "/", with: "-"), path: dir + "/" + $0)
      }
    case .external(let external):
      entries += [
        Entry(secretKey: "external-etcd-ca.crt", path: external.caFile),
        Entry(secretKey: "external-etcd.crt", path: external.certFile),
        Entry(secretKey: "external-etcd.key", path: external.keyFile),
      ]
    }
    return entries
  }

  /// `nonce ‖ ciphertext ‖ tag` of `plain` under `key`.
  public static func encrypt(_ plain: [UInt8], key: CertificateKey) throws -> [UInt8] {
    let sealed = try AES.GCM.seal(plain, using: SymmetricKey(data: key.bytes))
    guard let combined = sealed.combined else {
      throw KubeadmError("cipher: the sealed box has no combined form")
    }
    return Array(combined)
  }

  /// The plain bytes of `sealed`; Go's `cipher: message authentication failed` when the key is
  /// wrong or the data was altered.
  public static func decrypt(_ sealed: [UInt8], key: CertificateKey) throws -> [UInt8] {
    guard sealed.count >= 12 + 16 else { throw KubeadmError("ciphertext too short") }
    do {
      let box = try AES.GCM.SealedBox(combined: sealed)
      return Array(try AES.GCM.open(box, using: SymmetricKey(data: key.bytes)))
    } catch {
      throw KubeadmError("cipher: message authentication failed")
    }
  }

  /// The Secret's data for the files on `host`: encrypted contents, an empty value for a file
  /// that is missing (kubeadm stores those empty and skips them on download).
  public static func secretData(
    host: KubeadmHost, cluster: ClusterConfiguration, key: CertificateKey
  )
    throws -> [String: [UInt8]]
  {
    var data: [String: [UInt8]] = [:]
    for entry in entries(cluster) {
      guard let plain = try? host.read(entry.path) else {
        data[entry.secretKey] = []
        continue
      }
      data[entry.secretKey] = try encrypt(plain, key: key)
    }
    return data
  }

  /// Decrypts `data` and writes each file as a joining control plane does: private keys
  /// `0600`, everything else (certificates and `sa.pub`) `0644`. Throws kubeadm's messages
  /// (without the phase's `error downloading certs: ` prefix).
  public static func install(
    _ data: [String: [UInt8]], host: KubeadmHost, cluster: ClusterConfiguration, key: CertificateKey
  ) throws -> [String] {
    var files: [(Entry, [UInt8])] = []
    for entry in entries(cluster) {
      guard let sealed = data[entry.secretKey] else {
        throw KubeadmError(
          "the Secret does not include the required certificate or key - name: \(entry.secretKey), "
            + "path: \(entry.path)")
      }
      if sealed.isEmpty { continue }
      do {
        files.append((entry, try decrypt(sealed, key: key)))
      } catch let error as KubeadmError {
        throw KubeadmError("error decoding secret data with provided key: \(error.message)")
      }
    }
    for (entry, plain) in files {
      let isKey = String(decoding: plain.prefix(64), as: UTF8.self).contains("PRIVATE KEY-----")
      try host.write(plain, to: entry.path, mode: isKey ? 0o600 : 0o644)
    }
    return [
      "[download-certs] Saving the certificates to the folder: \(GoQuote.quote(cluster.certificatesDir))"
    ]
  }
}
