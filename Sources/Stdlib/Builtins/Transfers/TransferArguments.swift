import Foundation
import Interpreter

import struct Interpreter.Host

/// Argument handling shared by the transfer built-ins: modes, the host in scope, the executor's
/// file operations and the result map.
extension BuiltinCall {
  /// The file operations of the run's executor.
  var hostFiles: any HostFiles {
    get throws {
      guard let files = context.run.executor as? any HostFiles else {
        throw RuntimeError("'\(builtin.name)' cannot transfer files with this executor")
      }
      return files
    }
  }

  /// The host of the enclosing `on`, or an error saying where to call this.
  var transferHost: Host {
    get throws {
      guard let host = context.currentHost else {
        throw RuntimeError(
          "'\(builtin.name)' has no host to work on",
          hint: "call it inside 'on HOST { … }' ('on \"localhost\" { … }' for this machine)")
      }
      return host
    }
  }

  /// A permission mode written as an octal string (`"0600"`, `"600"`, `"0o600"`), or nil.
  func optionalMode(_ argument: BuiltinArgument) throws -> Int? {
    guard let value = optionalValue(argument) else { return nil }
    guard case .string(let text) = value else {
      throw badArgument(
        argument, "mode is written as an octal string, got \(value.typeName)",
        hint: "write mode: \"0600\" (a number like 600 would be read as decimal)")
    }
    var digits = Substring(text)
    if digits.hasPrefix("0o") { digits = digits.dropFirst(2) }
    guard !digits.isEmpty, digits.count <= 5, let mode = Int(digits, radix: 8), mode <= 0o7777
    else {
      throw badArgument(
        argument, "mode must be octal digits like \"0600\", got \(Value.quoted(text))")
    }
    return mode
  }

  /// Transfer options from the `mode`, `parents`, `sudo` and `sudo_password` arguments.
  func transferOptions(_ parameters: TransferParameters) throws -> TransferOptions {
    let password = try optionalSudoPassword(parameters.sudoPassword)
    let useSudo = try optionalBool(parameters.sudo, default: false)
    if password != nil && !useSudo {
      throw badArgument(
        parameters.sudoPassword, "sudo_password is given but sudo is not", hint: "add sudo: true")
    }
    return TransferOptions(
      mode: try parameters.mode.flatMap(optionalMode),
      createParents: try parameters.parents.map { try optionalBool($0, default: false) } ?? false,
      sudo: useSudo, sudoPassword: password)
  }

  /// A `sudo_password` argument: a secret, or nil when not given.
  func optionalSudoPassword(_ argument: BuiltinArgument) throws -> Secret? {
    guard let value = optionalValue(argument) else { return nil }
    guard case .secret(let secret) = value else {
      throw badArgument(
        argument, "sudo_password must be a secret, got \(value.typeName)",
        hint: "wrap it: sudo_password: secret(env(\"SUDO_PASSWORD\"))")
    }
    return secret
  }
}

/// The handles of the options the transfer built-ins share: `mode`, `parents`, `sudo` and
/// `sudo_password` (`read_file` takes the last two only).
struct TransferParameters {
  let mode: BuiltinArgument?
  let parents: BuiltinArgument?
  let sudo: BuiltinArgument
  let sudoPassword: BuiltinArgument

  /// `mode`, `parents`, `sudo` and `sudo_password`.
  init(_ param: ParameterLookup) {
    mode = param["mode"]
    parents = param["parents"]
    sudo = param["sudo"]
    sudoPassword = param["sudo_password"]
  }

  /// `sudo` and `sudo_password` only: for a read, which neither sets a mode nor makes
  /// directories.
  init(sudoOnly param: ParameterLookup) {
    mode = nil
    parents = nil
    sudo = param["sudo"]
    sudoPassword = param["sudo_password"]
  }
}

/// Turning a transfer into a value and a log line.
enum TransferReport {
  /// `{path, host, changed, bytes, sha256, mode, method, duration}`.
  static func value(_ result: TransferResult, host: String?) -> Value {
    .map([
      "path": .string(result.path),
      "host": host.map(Value.string) ?? .nil,
      "changed": .bool(result.changed),
      "bytes": .int(Int(result.bytes)),
      "sha256": .string(result.sha256),
      "mode": .string(modeText(result.mode)),
      "method": .string(result.method),
      "duration": .duration(result.duration),
    ])
  }

  /// Logs what happened: `uploaded ca.crt → cp2:/etc/kubernetes/pki/ca.crt (1.2 KiB, 0644)`,
  /// with `, as root` for a sudo transfer.
  static func log(
    _ what: String, _ result: TransferResult, call: BuiltinCall, host: String?,
    sudo: Bool = false
  ) {
    var detail = "\(bytesText(result.bytes)), \(modeText(result.mode))"
    if !result.changed { detail += ", unchanged" }
    if sudo { detail += ", as root" }
    if result.method == "scp" { detail += ", by scp: the server has no sftp subsystem" }
    call.context.run.sink.emit(.log("\(what) (\(detail))", host: host))
  }

  /// `0644`.
  static func modeText(_ mode: Int) -> String {
    let digits = String(mode, radix: 8)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// `512 B`, `1.2 KiB`, `3.4 MiB`.
  static func bytesText(_ bytes: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var size = Double(bytes)
    var unit = 0
    while size >= 1024, unit < units.count - 1 {
      size /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", size, units[unit])
  }
}
