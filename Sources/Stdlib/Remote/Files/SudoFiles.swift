import Crypto
import Foundation

/// File transfers as root through sudo, for a login user who may not read or write the path
/// (`/etc/kubernetes/pki/ca.key` as `ubuntu`). The bytes never pass through a command line:
///
/// - a private staging directory is made on the host as the login user (`mktemp -d`, 0700);
/// - writing: the file goes there by the plain transfer (mode 0600, SHA-256 checked), then
///   root copies it to a temporary file beside the destination, sets the mode, and renames it
///   into place (atomic, owned by root); the SHA-256 root reads back is compared;
/// - reading: root copies the file into the staging directory and hands it to the login user
///   (0600), and the plain transfer takes it from there;
/// - the staging directory is removed whatever happens.
///
/// A write first asks root what the destination holds: the same content is left alone
/// (`changed: false`; a different mode is set), so nothing is staged. sudo runs
/// non-interactively (`sudo -n`), or with the password fed on standard input.
struct SudoFiles {
  /// The host.
  let host: RemoteHost
  /// Who logs in (owns the staging directory).
  let user: String
  /// sudo's password, if any.
  let password: String?
  /// The plain transfers and the helper commands.
  let transport: Transport

  /// Copies a local file to `remote` as root.
  func upload(_ local: String, to remote: String, options: FileTransferOptions) throws
    -> FileTransferResult
  {
    let attributes = try? FileManager.default.attributesOfItem(atPath: local)
    let mode =
      options.mode ?? (attributes?[.posixPermissions] as? Int).map { $0 & 0o7777 } ?? 0o644
    if let size = (attributes?[.size] as? NSNumber)?.int64Value,
      let done = try unchanged(
        remote, size: size, mode: mode, sha256: { try ExistingFile.localSHA256(local) })
    {
      return done
    }
    return try withStage { stage in
      let staged = try transport.upload(
        local, to: stage + "/file", on: host, options: stagedOptions(options))
      return try install(staged, from: stage + "/file", to: remote, mode: mode, options: options)
    }
  }

  /// Writes bytes to `path` as root.
  func writeFile(_ path: String, contents: [UInt8], options: FileTransferOptions) throws
    -> FileTransferResult
  {
    if let done = try unchanged(
      path, size: Int64(contents.count), mode: options.mode ?? 0o644,
      sha256: { SHA256.hex(contents) })
    {
      return done
    }
    return try withStage { stage in
      let staged = try transport.writeFile(
        stage + "/file", contents: contents, on: host, options: stagedOptions(options))
      return try install(
        staged, from: stage + "/file", to: path, mode: options.mode ?? 0o644, options: options)
    }
  }

  /// Copies `remote`, read as root, to a local file.
  func download(_ remote: String, to local: String, options: FileTransferOptions) throws
    -> FileTransferResult
  {
    try withStage { stage in
      let sourceMode = try take(remote, into: stage + "/file")
      var plain = options.plain
      plain.mode = options.mode ?? sourceMode
      var result = try transport.download(stage + "/file", from: host, to: local, options: plain)
      result.path = local
      return result
    }
  }

  /// The contents of `path`, read as root.
  func readFile(_ path: String) throws -> Data {
    try withStage { stage in
      _ = try take(path, into: stage + "/file")
      return try transport.readFile(stage + "/file", on: host, options: FileTransferOptions())
    }
  }

  // MARK: the steps

  /// When `destination`, read as root, holds the content already: sets the mode (as root) if
  /// it differs and returns the result; nil when the file must be written.
  private func unchanged(
    _ destination: String, size: Int64, mode: Int, sha256: () throws -> String
  ) throws -> FileTransferResult? {
    let started = ContinuousClock.now
    let existing = ExistingFile.parse(
      try asRoot(
        ExistingFile.probeScript, [destination, String(size)], doing: "read \(destination)"))
    guard case .content = existing else { return nil }
    let hash = try sha256()
    let action = existing.action(sha256: hash, mode: mode)
    switch action {
    case .write: return nil
    case .setMode:
      _ = try asRoot(
        #"chmod -- "$1" "$2""#, [String(mode, radix: 8), destination],
        doing: "set the mode of \(destination)")
    case .nothing: break
    }
    return FileTransferResult(
      path: destination, bytes: size, sha256: hash, mode: mode,
      method: host.isLocal ? "local" : "sftp",
      duration: (ContinuousClock.now - started).nanosecondCount, changed: action == .setMode)
  }

  /// Root puts the staged file in place atomically and reports the SHA-256 it reads back.
  private func install(
    _ staged: FileTransferResult, from source: String, to destination: String, mode: Int,
    options: FileTransferOptions
  ) throws -> FileTransferResult {
    let started = ContinuousClock.now
    let output = try asRoot(
      SudoFiles.installScript,
      [destination, source, String(mode, radix: 8), options.createParents ? "1" : "0"],
      doing: "write \(destination)")
    let written = output.split(separator: " ").first.map(String.init) ?? ""
    if options.verify && written != staged.sha256 {
      throw RemoteError(
        "\(destination) on \(host.name) does not match what was sent (SHA-256 \(written), expected \(staged.sha256))",
        host: host.name)
    }
    var result = staged
    result.path = destination
    result.mode = mode
    result.duration += (ContinuousClock.now - started).nanosecondCount
    return result
  }

  /// Root copies `path` into the staging directory for the login user; returns its mode.
  private func take(_ path: String, into staged: String) throws -> Int {
    let output = try asRoot(SudoFiles.takeScript, [path, staged, user], doing: "read \(path)")
    guard let mode = Int(output.trimmingCharacters(in: .whitespacesAndNewlines), radix: 8) else {
      throw RemoteError(
        "sudo could not read \(path) on \(host.name): unexpected output \("\"\(output)\"")",
        host: host.name)
    }
    return mode
  }

  /// Makes the staging directory, runs `body`, removes the directory.
  private func withStage<T>(_ body: (String) throws -> T) throws -> T {
    let made = try run(#"umask 077 && mktemp -d "${TMPDIR:-/tmp}/haflow-sudo.XXXXXX""#, sudo: false)
    let stage = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    guard made.exitStatus == 0, stage.hasPrefix("/") else {
      throw RemoteError(
        "cannot make a staging directory for a sudo transfer on \(host.name): \(SudoFiles.reason(made))",
        host: host.name)
    }
    defer {
      _ = try? run("rm -rf -- " + ShellQuote.quote(stage), sudo: false)
    }
    return try body(stage)
  }

  /// Runs `script` with `arguments` as root; returns its stdout or throws with sudo's reason.
  private func asRoot(_ script: String, _ arguments: [String], doing what: String) throws
    -> String
  {
    let words = ["/bin/sh", "-c", script, "haflow-sudo"] + arguments
    let result = try run(words.map(ShellQuote.quote).joined(separator: " "), sudo: true)
    guard result.exitStatus == 0 else {
      throw RemoteError(
        "sudo could not \(what) on \(host.name): \(SudoFiles.reason(result))", host: host.name)
    }
    return result.stdout
  }

  private func run(_ text: String, sudo: Bool) throws -> ShellResult {
    try transport.run(
      ShellCommand(script: text, sudo: sudo, sudoPassword: sudo ? password : nil), on: host,
      output: SilentOutput())
  }

  /// The staged copy: readable only by the login user, never checked twice.
  private func stagedOptions(_ options: FileTransferOptions) -> FileTransferOptions {
    FileTransferOptions(mode: 0o600, createParents: false, verify: options.verify)
  }

  /// stderr's lines, or the exit status.
  private static func reason(_ result: ShellResult) -> String {
    let lines = result.stderr.split(separator: "\n").map(String.init)
    return lines.isEmpty ? "exit status \(result.exitStatus)" : lines.joined(separator: "; ")
  }

  /// `$1` destination, `$2` staged file, `$3` octal mode, `$4` 1 to create parents; prints
  /// the destination's SHA-256.
  static let installScript = """
    set -e
    dest=$1 src=$2 mode=$3 parents=$4
    dir=$(dirname -- "$dest")
    if [ "$parents" = 1 ]; then mkdir -p -- "$dir"; fi
    if [ ! -d "$dir" ]; then
      echo "no such directory: $dir (parents: true creates it)" >&2; exit 3
    fi
    tmp=$(mktemp -- "$dir/.haflow-XXXXXX")
    trap 'rm -f -- "$tmp"' EXIT
    cat -- "$src" > "$tmp"
    chmod -- "$mode" "$tmp"
    sync -- "$tmp" 2>/dev/null || true
    mv -f -- "$tmp" "$dest"
    trap - EXIT
    sha256sum -- "$dest"
    """

  /// `$1` the file, `$2` where the login user `$3` gets a copy (0600); prints its mode.
  static let takeScript = """
    set -e
    src=$1 dst=$2 owner=$3
    if [ ! -f "$src" ]; then
      if [ -e "$src" ]; then echo "$src is not a regular file" >&2
      else echo "no such file: $src" >&2; fi
      exit 3
    fi
    cp -- "$src" "$dst"
    chown -- "$owner" "$dst"
    chmod -- 600 "$dst"
    stat -c %a -- "$src"
    """
}
