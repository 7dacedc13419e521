import Lexer
import OrderedCollections

/// A haflow value. Values have value semantics: assigning a list copies it (lazily).
///
/// The large payloads are `indirect` (boxed) so a value stays two words wide and copying one
/// is cheap: the interpreter copies values on every variable read.
public enum Value: Sendable {
  case `nil`
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  /// Nanoseconds.
  case duration(Int64)
  case list([Value])
  /// Insertion-ordered, string keys.
  indirect case map(OrderedDictionary<String, Value>)
  /// A closure or a built-in.
  case function(Function)
  /// A command that has not run yet.
  indirect case command(CommandValue)
  /// A string that is redacted wherever it is shown.
  indirect case secret(Secret)
  /// A host from the inventory.
  indirect case host(Host)
  /// What a command that ran returned.
  indirect case result(CommandResult)
  /// A namespace of built-ins, e.g. `kubeadm`.
  indirect case module(Module)

  /// The type name shown by `type()` and in errors.
  public var typeName: String {
    switch self {
    case .nil: "nil"
    case .bool: "bool"
    case .int: "int"
    case .float: "float"
    case .string: "string"
    case .duration: "duration"
    case .list: "list"
    case .map: "map"
    case .function: "function"
    case .command: "command"
    case .secret: "secret"
    case .host: "host"
    case .result: "result"
    case .module: "module"
    }
  }

  /// Truthiness: nil, false, 0, 0.0, "", [], {} and a zero duration are false; a result is
  /// true when its exit status is 0.
  public var isTruthy: Bool {
    switch self {
    case .nil: false
    case .bool(let b): b
    case .int(let i): i != 0
    case .float(let f): f != 0
    case .string(let s): !s.isEmpty
    case .duration(let d): d != 0
    case .list(let l): !l.isEmpty
    case .map(let m): !m.isEmpty
    case .result(let r): r.exitStatus == 0
    case .secret(let s): !s.value.isEmpty
    case .function, .command, .host, .module: true
    }
  }
}

/// A secret string: shown as `<secret NAME>` or `<secret>` unless revealed.
public struct Secret: Sendable, Hashable {
  /// The real value.
  public var value: String
  /// An optional label shown in place of the value, e.g. `certificate-key`.
  public var label: String?
  /// Makes a secret.
  public init(_ value: String, label: String? = nil) {
    self.value = value
    self.label = label
  }
  /// What is shown instead of the value.
  public var redacted: String { label.map { "<secret \($0)>" } ?? "<secret>" }
}

/// A piece of a command: raw shell text, or a word that is shell-quoted when run.
public enum CommandPiece: Sendable, Hashable {
  /// Shell text used as written.
  case raw(String)
  /// One word, quoted when run.
  case word(String)
  /// One word from a secret: quoted when run, redacted when shown.
  case secretWord(Secret)
  /// Raw shell text that holds a secret (rare: a revealed secret given to `raw`).
  case secretRaw(Secret)
  /// Text inside the author's double quotes (`` `echo "hello ${user}"` ``): `\`, `"`, `$` and
  /// `` ` `` escaped, no quotes added.
  case inDoubleQuotes(String)
  /// A secret inside the author's double quotes: escaped when run, redacted when shown.
  case secretInDoubleQuotes(Secret)
}

/// A command value: pieces of raw text and quoted words.
public struct CommandValue: Sendable, Hashable {
  /// The pieces in order.
  public var pieces: [CommandPiece]
  /// Makes a command.
  public init(_ pieces: [CommandPiece]) { self.pieces = pieces }

  /// The shell text to run.
  public var shellText: String {
    pieces.map { piece in
      switch piece {
      case .raw(let s): s
      case .word(let s): ShellQuote.quote(s)
      case .secretWord(let s): ShellQuote.quote(s.value)
      case .secretRaw(let s): s.value
      case .inDoubleQuotes(let s): ShellQuote.escapeInDoubleQuotes(s)
      case .secretInDoubleQuotes(let s): ShellQuote.escapeInDoubleQuotes(s.value)
      }
    }.joined()
  }

  /// The text to show in logs, secrets redacted.
  public var displayText: String {
    pieces.map { piece in
      switch piece {
      case .raw(let s): s
      case .word(let s): ShellQuote.quote(s)
      case .inDoubleQuotes(let s): ShellQuote.escapeInDoubleQuotes(s)
      case .secretWord(let s), .secretRaw(let s), .secretInDoubleQuotes(let s): s.redacted
      }
    }.joined()
  }

  /// The secrets it carries, for redacting its output and errors.
  public var secrets: [Secret] {
    pieces.compactMap { piece in
      switch piece {
      case .secretWord(let s), .secretRaw(let s), .secretInDoubleQuotes(let s): s
      default: nil
      }
    }
  }
}

/// POSIX shell quoting.
public enum ShellQuote {
  /// Text that stands inside double quotes as itself: `\`, `"`, `$` and `` ` `` get a
  /// backslash (the only characters special there; a newline stays a newline).
  public static func escapeInDoubleQuotes(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      if character == "\\" || character == "\"" || character == "$" || character == "`" {
        out.append("\\")
      }
      out.append(character)
    }
    return out
  }

  /// One word: left bare when it is plainly safe, otherwise in single quotes.
  public static func quote(_ word: String) -> String {
    if word.isEmpty { return "''" }
    let safe = word.unicodeScalars.allSatisfy { scalar in
      switch scalar {
      case "a"..."z", "A"..."Z", "0"..."9": true
      case "-", "_", ".", "/", ":", "=", "@", "%", "+", ",": true
      default: false
      }
    }
    if safe { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

/// A host from the inventory.
public struct Host: Sendable, Hashable {
  /// The inventory name, `cp1`.
  public var name: String
  /// The address to connect to.
  public var address: String
  /// The SSH port, nil for the default.
  public var port: Int?
  /// The login user, nil for the default.
  public var user: String?
  /// How it is reached.
  public var connection: Connection
  /// The groups it belongs to.
  public var groups: [String]
  /// Free-form variables, readable as members: `h.node_ip`.
  public var vars: OrderedDictionary<String, Value>
  /// Added by the run rather than listed in the inventory (the implicit `localhost`): left
  /// out of `hosts()` and of `all`, chosen only by its name.
  public var isImplicit: Bool

  /// Makes a host.
  public init(
    name: String, address: String? = nil, port: Int? = nil, user: String? = nil,
    connection: Connection = .ssh, groups: [String] = [],
    vars: OrderedDictionary<String, Value> = [:], isImplicit: Bool = false
  ) {
    self.name = name
    self.address = address ?? name
    self.port = port
    self.user = user
    self.connection = connection
    self.groups = groups
    self.vars = vars
    self.isImplicit = isImplicit
  }

  /// Whether its commands run on this machine, without SSH.
  public var isLocal: Bool { connection == .local }

  public static func == (a: Host, b: Host) -> Bool { a.name == b.name }
  public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// How a host is reached: over SSH, or on this machine (the controller).
public enum Connection: String, Sendable, Hashable {
  /// One persistent SSH session.
  case ssh
  /// Commands run here, files are read and written here.
  case local
}

/// What a command that ran returned.
public struct CommandResult: Sendable, Hashable {
  /// The host it ran on; `local` for the controller.
  public var host: String
  /// The command as shown (secrets redacted).
  public var command: String
  /// Standard output.
  public var stdout: String
  /// Standard error.
  public var stderr: String
  /// The exit status; 128+N after signal N; -1 when it could not be started.
  public var exitStatus: Int
  /// Wall time in nanoseconds.
  public var duration: Int64

  /// Makes a result.
  public init(
    host: String, command: String, stdout: String, stderr: String, exitStatus: Int,
    duration: Int64
  ) {
    self.host = host
    self.command = command
    self.stdout = stdout
    self.stderr = stderr
    self.exitStatus = exitStatus
    self.duration = duration
  }
}

/// A namespace of built-ins, such as `kubeadm` or `text`.
public struct Module: Sendable {
  /// The module's name.
  public var name: String
  /// Its members by name.
  public var members: OrderedDictionary<String, Value>
  /// Makes a module.
  public init(name: String, members: OrderedDictionary<String, Value>) {
    self.name = name
    self.members = members
  }
}
