/// Paths and shell snippets for transfers.
enum RemotePath {
  /// The directory part: `/a/b` for `/a/b/c`, `/` for `/c`, `.` for `c`.
  static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let head = String(path[..<slash])
    return head.isEmpty ? "/" : head
  }

  /// The last component.
  static func name(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// A fresh temporary name in the same directory (so the final rename is atomic).
  static func temporary(beside path: String) -> String {
    let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    let directory = parent(of: path)
    let prefix = directory == "/" ? "/" : directory + "/"
    return prefix + "." + name(of: path) + ".haflow-" + suffix
  }

  /// The command that finishes an upload: refuse a directory destination (6), check the
  /// temporary file's SHA-256 when `sha256` is given (3 on a mismatch, with the hash found on
  /// stderr; 4 without `sha256sum`), set the mode and rename it over the destination.
  static func installScript(temp: String, destination: String, mode: Int, sha256: String?)
    -> String
  {
    var lines = [
      "t=\(ShellQuote.quote(temp)); d=\(ShellQuote.quote(destination))",
      #"if [ -d "$d" ]; then rm -f -- "$t"; exit 6; fi"#,
    ]
    if let sha256 {
      lines += [
        "command -v sha256sum >/dev/null 2>&1 || exit 4",
        #"h=$(sha256sum < "$t") || exit 5"#,
        #"h=${h%% *}"#,
        #"if [ "$h" != \#(sha256) ]; then rm -f -- "$t"; echo "$h" >&2; exit 3; fi"#,
      ]
    }
    lines.append(#"chmod \#(String(mode, radix: 8)) -- "$t" && mv -f -- "$t" "$d""#)
    return "/bin/sh -c " + ShellQuote.quote(lines.joined(separator: "\n"))
  }
}
