import Foundation
import Interpreter

import struct Interpreter.Host

/// `upload`, `download`, `write_file`, `read_file`, `copy` and `scp`: files to, from and
/// between hosts, over SFTP (SCP when the server has no SFTP subsystem).
enum TransferBuiltins {
  static let family = BuiltinFamily(
    title: "Files on hosts",
    help:
      "Atomic, checked file transfers over the host's SSH session: a temporary file beside the destination, the mode set, the SHA-256 compared, then renamed into place; a destination that holds the same bytes already is not written. Each returns {path, host, changed, bytes, sha256, mode, method, duration} (`changed: false` when nothing was written; a mode set on the same bytes is a change); modes are octal strings (\"0600\").",
    builtins: [
      Builtin(
        "upload",
        [
          .req("local"), .req("remote"), .opt("mode", "the local file's"), .opt("parents", "false"),
          .opt("sudo", "false"), .opt("sudo_password", "none"),
        ],
        help:
          "Copies a file from this machine to the current host (inside `on`); parents: true creates missing directories, sudo: true writes as root.",
        resolve: { param in
          let (localArgument, remoteArgument) = (param["local"], param["remote"])
          let transfer = TransferParameters(param)
          return { call in
            let host = try call.transferHost
            let local = try call.string(localArgument)
            let remote = try call.string(remoteArgument)
            let options = try call.transferOptions(transfer)
            let result = try call.hostFiles.upload(local, to: remote, on: host, options: options)
            TransferReport.log(
              "uploaded \(local) → \(remote)", result, call: call, host: host.name,
              sudo: options.sudo)
            return TransferReport.value(result, host: host.name)
          }
        }),
      Builtin(
        "download",
        [
          .req("remote"), .req("local"), .opt("mode", "the remote file's"),
          .opt("parents", "false"), .opt("sudo", "false"), .opt("sudo_password", "none"),
        ],
        help:
          "Copies a file from the current host (inside `on`) to this machine; sudo: true reads it as root.",
        resolve: { param in
          let (remoteArgument, localArgument) = (param["remote"], param["local"])
          let transfer = TransferParameters(param)
          return { call in
            let host = try call.transferHost
            let remote = try call.string(remoteArgument)
            let local = try call.string(localArgument)
            let options = try call.transferOptions(transfer)
            let result = try call.hostFiles.download(
              remote, from: host, to: local, options: options)
            TransferReport.log(
              "downloaded \(remote) → \(local)", result, call: call, host: host.name,
              sudo: options.sudo)
            return TransferReport.value(result, host: host.name)
          }
        }),
      Builtin(
        "write_file",
        [
          .req("path"), .req("text"), .opt("mode", "\"0644\""), .opt("parents", "false"),
          .opt("sudo", "false"), .opt("sudo_password", "none"),
        ],
        help:
          "Writes text (or a secret, never logged) to a file on the current host (inside `on`); sudo: true writes as root.",
        resolve: { param in
          let (pathArgument, textArgument) = (param["path"], param["text"])
          let transfer = TransferParameters(param)
          return { call in
            let host = try call.transferHost
            let path = try call.string(pathArgument)
            let text = try call.text(textArgument)
            let options = try call.transferOptions(transfer)
            let result = try call.hostFiles.writeFile(
              path, contents: Array(text.text.utf8), on: host, options: options)
            TransferReport.log(
              "wrote \(path)", result, call: call, host: host.name, sudo: options.sudo)
            return TransferReport.value(result, host: host.name)
          }
        }),
      Builtin(
        "read_file", [.req("path"), .opt("sudo", "false"), .opt("sudo_password", "none")],
        help:
          "The text of a file on the current host (inside `on`), read whole as it streams (so `/proc` and `/sys` files and growing logs work; nothing is compared); sudo: true reads it as root.",
        resolve: { param in
          let pathArgument = param["path"]
          let transfer = TransferParameters(sudoOnly: param)
          return { call in
            let host = try call.transferHost
            let path = try call.string(pathArgument)
            let options = try call.transferOptions(transfer)
            let data = try call.hostFiles.readFile(path, on: host, options: options)
            guard let text = String(data: data, encoding: .utf8) else {
              throw RuntimeError(
                "\(path) on \(host.name) is not UTF-8 text",
                hint: "use download() for binary files")
            }
            return .string(text)
          }
        }),
      Builtin(
        "copy",
        [
          .req("from"), .req("path"), .req("to"), .opt("to_path", "path"),
          .opt("mode", "the source's"), .opt("parents", "false"), .opt("sudo", "false"),
          .opt("sudo_password", "none"),
        ],
        help:
          "Copies a file from one host to another host (or a list of hosts) through this machine, no agent forwarding; sudo: true reads and writes as root.",
        resolve: copy),
      Builtin(
        "scp",
        [
          .req("source"), .req("destination"), .opt("mode", "the source's"),
          .opt("parents", "false"), .opt("sudo", "false"), .opt("sudo_password", "none"),
        ],
        help:
          "scp with inventory hosts: operands are HOST:PATH or local paths; HOST: alone is the home directory, a trailing / keeps the file name.",
        resolve: scp),
    ])

  /// `copy(from:, path:, to:, to_path:, mode:, parents:)`.
  static func copy(_ param: ParameterLookup) -> Builtin.Body {
    let (from, pathArgument, to, toPath) = (
      param["from"], param["path"], param["to"], param["to_path"]
    )
    let transfer = TransferParameters(param)
    return { call in
      let source = try call.host(from)
      let path = try call.string(pathArgument)
      let targets: [Host]
      let single: Bool
      switch try call.value(to) {
      case .list(let items):
        targets = try items.map { item in
          switch item {
          case .host(let host): return host
          case .string(let name):
            return try HostBuiltins.lookup(name, in: call.context.run.inventory)
          default: throw call.typeError(to, expected: "host or list of hosts", got: item)
          }
        }
        single = false
      default:
        targets = [try call.host(to)]
        single = true
      }
      let destination = try call.optionalString(toPath) ?? path
      let options = try call.transferOptions(transfer)
      var results = ValueMap()
      try throughController(call, from: source, path: path, options: options) { staged in
        for target in targets {
          let result = try call.hostFiles.upload(
            staged, to: destination, on: target, options: options)
          TransferReport.log(
            "copied \(source.name):\(path) → \(target.name):\(destination)", result,
            call: call, host: target.name, sudo: options.sudo)
          results[target.name] = TransferReport.value(result, host: target.name)
        }
      }
      return single ? results.values.first ?? .nil : .map(results)
    }
  }

  /// `scp(source, destination, mode:, parents:)`.
  static func scp(_ param: ParameterLookup) -> Builtin.Body {
    let (source, destination) = (param["source"], param["destination"])
    let transfer = TransferParameters(param)
    return { call in try scp(call, source: source, destination: destination, transfer: transfer) }
  }

  static func scp(
    _ call: BuiltinCall, source sourceArgument: BuiltinArgument,
    destination destinationArgument: BuiltinArgument, transfer: TransferParameters
  ) throws -> Value {
    let inventory = call.context.run.inventory
    let source = try ScpOperand.parse(try call.string(sourceArgument), inventory: inventory)
    let target = try ScpOperand.parse(try call.string(destinationArgument), inventory: inventory)
    let options = try call.transferOptions(transfer)
    let destination = target.destination(for: source.path)
    let files = try call.hostFiles
    let what = "scp \(source.display) → \(ScpOperand(host: target.host, path: destination).display)"
    // With sudo, this machine's side is read or written as root too: through the executor
    // as a local host (as is a copy from here to here).
    let controller = Host(
      name: "localhost", address: "127.0.0.1", connection: .local, groups: ["local"])
    let fromHost = source.host ?? (options.sudo ? controller : nil)
    let toHost = target.host ?? (options.sudo ? controller : nil)
    let result: TransferResult
    switch (fromHost, toHost) {
    case (nil, nil):
      result = try files.upload(source.path, to: destination, on: controller, options: options)
    case (nil, let to?):
      result = try files.upload(source.path, to: destination, on: to, options: options)
    case (let from?, nil):
      result = try files.download(source.path, from: from, to: destination, options: options)
    case (let from?, let to?):
      var copied: TransferResult?
      try throughController(call, from: from, path: source.path, options: options) { staged in
        copied = try files.upload(staged, to: destination, on: to, options: options)
      }
      guard let copied else { throw RuntimeError("scp: nothing was copied") }
      result = copied
    }
    let host = target.host?.name ?? source.host?.name
    TransferReport.log(what, result, call: call, host: host, sudo: options.sudo)
    return TransferReport.value(result, host: target.host?.name)
  }

  /// Downloads `path` from `host` into a private temporary directory on this machine (mode
  /// 0700, so a key is never readable by others), hands the staged file to `body`, and removes
  /// it whatever happens. The file streams through disk, never whole in memory. Only the sudo
  /// part of `options` applies to the read.
  static func throughController(
    _ call: BuiltinCall, from host: Host, path: String, options: TransferOptions,
    body: (String) throws -> Void
  ) throws {
    var template = Array((NSTemporaryDirectory() + "/haflow-copy-XXXXXX").utf8CString)
    guard
      let directory = template.withUnsafeMutableBufferPointer({ buffer in
        buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
      })
    else {
      throw RuntimeError("cannot create a temporary directory for the copy")
    }
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let staged = directory + "/" + ScpOperand.fileName(of: path)
    _ = try call.hostFiles.download(
      path, from: host, to: staged,
      options: TransferOptions(sudo: options.sudo, sudoPassword: options.sudoPassword))
    try body(staged)
  }
}
