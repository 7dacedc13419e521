import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The layout of a lab directory and small file helpers.
///
/// ```
/// lab.json  client_key  client_key.pub  authorized_keys  known_hosts
/// inventory.ini  inventory.hf  hosts/node1/{sshd_config,host_ed25519,sshd.log,sshd.pid}
/// hosts/cp1/authorized_keys  hosts/cp1/fs/{etc/kubernetes,root,home,tmp,…}   (isolated hosts)
/// hosts/lb/{haproxy.cfg,haproxy.pid,haproxy.log}                              (cluster labs)
/// ```
public struct LabFiles: Sendable {
  /// The lab directory (absolute).
  public let directory: String

  /// Files under `directory`.
  public init(directory: String) { self.directory = directory }

  /// `lab.json`.
  public var state: String { directory + "/lab.json" }
  /// The client's private key (ed25519), authorized on every host.
  public var clientKey: String { directory + "/client_key" }
  /// Every host's key, `[address]:port` (or the bare address for port 22).
  public var knownHosts: String { directory + "/known_hosts" }
  /// The public client key, as sshd reads it.
  public var authorizedKeys: String { directory + "/authorized_keys" }
  /// The Ansible INI inventory.
  public var inventoryINI: String { directory + "/inventory.ini" }
  /// The haflow inventory.
  public var inventoryHF: String { directory + "/inventory.hf" }
  /// Serialises `up` and `down` on one lab.
  var lock: String { directory + "/lab.lock" }

  /// A host's own directory.
  func host(_ name: String) -> String { directory + "/hosts/" + name }
  /// A host's sshd process ID file.
  func pidFile(_ name: String) -> String { host(name) + "/sshd.pid" }
  /// A host's sshd configuration.
  func config(_ name: String) -> String { host(name) + "/sshd_config" }
  /// A host's private host key.
  func hostKey(_ name: String) -> String { host(name) + "/host_ed25519" }
  /// A host's sshd log.
  func log(_ name: String) -> String { host(name) + "/sshd.log" }
  /// An isolated host's own directories (`fs/etc/kubernetes`, `fs/tmp`, …), bound over
  /// this machine's inside the host.
  public func fs(_ name: String) -> String { host(name) + "/fs" }
  /// Where an isolated host sees its own directory (read-only), inside its namespace.
  func view(_ name: String) -> String { LabIsolation.viewRoot + host(name) }
  /// The authorized keys an isolated host's sshd reads (a copy of `authorized_keys`).
  func hostAuthorizedKeys(_ name: String) -> String { host(name) + "/authorized_keys" }
  /// The cluster clock's offset as a host's processes read it (`{"clockOffsetSeconds": N}`),
  /// in the host's directory because the lab directory's `lab.json` is not visible inside.
  func clock(_ name: String) -> String { host(name) + "/" + LabFiles.clockFile }
  /// The clock file's name in a host's directory (and view).
  static let clockFile = "clock.json"
  /// A component's file in its host's directory: `haproxy.cfg`, `haproxy.pid`, …
  func component(_ host: String, _ file: String) -> String { self.host(host) + "/" + file }

  /// The lab directory for `environment` and the current directory: `$HAFLOW_LAB_DIR`, else
  /// `.haflow/lab`, made absolute.
  public static func defaultDirectory(
    environment: [String: String], currentDirectory: String
  ) -> String {
    let chosen = environment["HAFLOW_LAB_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ".haflow/lab"
    let absolute = chosen.hasPrefix("/") ? chosen : currentDirectory + "/" + chosen
    return URL(fileURLWithPath: absolute).standardizedFileURL.path
  }

  /// Creates a directory (and its parents) with `mode`.
  static func makeDirectory(_ path: String, mode: Int = 0o755) throws {
    do {
      try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true,
        attributes: [.posixPermissions: mode])
    } catch {
      throw LabError("cannot create \(path): \(error.localizedDescription)")
    }
  }

  /// Writes `text` atomically with `mode`.
  static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
    do {
      try text.write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
      throw LabError("cannot write \(path): \(error.localizedDescription)")
    }
    chmod(path, mode)
  }

  /// The contents of a text file, or nil.
  static func read(_ path: String) -> String? {
    try? String(contentsOfFile: path, encoding: .utf8)
  }
}
