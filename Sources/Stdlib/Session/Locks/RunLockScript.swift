import Interpreter

/// The script that takes, replaces and releases a host's run lock, run over the host's session
/// as the login user (`sh -c SCRIPT haflow-lock MODE CONTENT [EXPECTED]`), and what it answers.
///
/// The lock is the file `run.lock` in `$HAFLOW_LOCK_DIR` when the server's environment sets it
/// (a directory shared by several login users), else in `~/.haflow`. Taking it is one atomic
/// create (`set -C`, which opens with `O_EXCL`): of two runs, exactly one creates the file.
/// Replacing (a stale lock, `--break-lock`) writes a temporary file and renames it over the
/// lock, only if the lock still holds what the caller read. Releasing removes the file only if
/// it still holds the caller's own line (a run whose lock was broken leaves the new holder's).
enum RunLockScript {
  /// What the caller asks.
  enum Mode: String {
    case take, replace, release
  }

  /// What the script answered.
  enum Answer: Equatable {
    /// The caller holds the lock now (`take`, `replace`) at this path.
    case acquired(path: String)
    /// Someone else holds it; the lock file's content (empty when it vanished meanwhile).
    case held(path: String, content: String)
    /// The lock file is gone (`release`): nothing to release.
    case absent(path: String)
    /// The caller's lock was removed (`release`).
    case released(path: String)
    /// The lock could not be made or removed; why.
    case failed(String)
  }

  static let text = """
    d=${HAFLOW_LOCK_DIR:-${HOME:-/tmp}/.haflow}
    f=$d/run.lock
    umask 022
    case $1 in
    take|replace)
      if ! mkdir -p "$d" 2>/dev/null; then echo "error cannot create the directory $d"; exit 3; fi
      if [ "$1" = take ]; then
        if (set -C; printf '%s\\n' "$2" > "$f") 2>/dev/null; then echo "acquired $f"; exit 0; fi
        if [ ! -e "$f" ]; then echo "error cannot create $f"; exit 3; fi
      elif [ "$(cat "$f" 2>/dev/null)" = "$3" ]; then
        if printf '%s\\n' "$2" > "$f.$$" 2>/dev/null && mv -f "$f.$$" "$f"; then
          echo "acquired $f"; exit 0
        fi
        rm -f "$f.$$"; echo "error cannot replace $f"; exit 3
      fi
      echo "held $f"; cat "$f" 2>/dev/null; exit 1;;
    release)
      if [ ! -e "$f" ]; then echo "absent $f"; exit 0; fi
      if [ "$(cat "$f" 2>/dev/null)" = "$2" ]; then
        if rm -f "$f"; then echo "released $f"; exit 0; fi
        echo "error cannot remove $f"; exit 3
      fi
      echo "held $f"; cat "$f" 2>/dev/null; exit 1;;
    esac
    echo "error unknown mode $1"; exit 3
    """

  /// The command line that runs the script in `mode`.
  static func command(_ mode: Mode, content: String, expected: String = "") -> String {
    (["sh", "-c", text, "haflow-lock", mode.rawValue, content, expected]).map(ShellQuote.quote)
      .joined(separator: " ")
  }

  /// Reads what the script printed.
  static func answer(_ stdout: String, stderr: String, status: Int) -> Answer {
    let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let first = lines.first ?? ""
    let (word, rest) = split(first)
    switch word {
    case "acquired": return .acquired(path: rest)
    case "absent": return .absent(path: rest)
    case "released": return .released(path: rest)
    case "held":
      var content = lines.dropFirst().joined(separator: "\n")
      while content.hasSuffix("\n") { content.removeLast() }
      return .held(path: rest, content: content)
    case "error": return .failed(rest)
    default:
      let why = stderr.split(separator: "\n").first.map(String.init) ?? "no answer"
      return .failed("the lock script exited \(status): \(why)")
    }
  }

  private static func split(_ line: String) -> (String, String) {
    guard let space = line.firstIndex(of: " ") else { return (line, "") }
    return (String(line[..<space]), String(line[line.index(after: space)...]))
  }
}
