/// The jump host or proxy command an inventory names for a host, the ways Ansible users write
/// them: the `haflow_proxy_jump` var, or `-o ProxyJump=…`, `-J …` and `-o ProxyCommand=…` in
/// `ansible_ssh_common_args` / `ansible_ssh_extra_args`. What the inventory says wins over
/// the ssh client configuration; `none` there means no jump host.
public struct InventoryProxy: Sendable, Equatable {
  /// `ProxyJump` as written (`bastion`, `admin@b1:2222,b2`), or `none`.
  public var jump: String?
  /// `ProxyCommand` as written.
  public var command: String?

  /// Makes a value.
  public init(jump: String? = nil, command: String? = nil) {
    self.jump = jump
    self.command = command
  }

  /// What `host`'s variables say; nil when they name neither.
  public static func of(_ host: InventoryHost) -> InventoryProxy? {
    var found = InventoryProxy()
    if case .string(let jump)? = host.vars["haflow_proxy_jump"], !jump.isEmpty {
      found.jump = jump
    }
    for key in ["ansible_ssh_common_args", "ansible_ssh_extra_args"] {
      guard case .string(let text)? = host.vars[key] else { continue }
      scan(text, into: &found)
    }
    return found.jump == nil && found.command == nil ? nil : found
  }

  /// Reads `-J X`, `-JX`, `-o Key=Value`, `-oKey=Value` and `-o "Key Value"` from ssh
  /// arguments; the first value of each wins, as for ssh.
  static func scan(_ text: String, into found: inout InventoryProxy) {
    guard let words = try? ShellWords.split(text).map(\.text) else { return }
    var index = 0
    while index < words.count {
      let word = words[index]
      index += 1
      var option: String?
      if word == "-J" || word == "-o" {
        guard index < words.count else { break }
        option = word == "-J" ? "proxyjump=" + words[index] : words[index]
        index += 1
      } else if word.hasPrefix("-J") {
        option = "proxyjump=" + word.dropFirst(2)
      } else if word.hasPrefix("-o") {
        option = String(word.dropFirst(2))
      }
      guard let option else { continue }
      let separator = option.firstIndex { $0 == "=" || $0 == " " || $0 == "\t" }
      guard let separator else { continue }
      let key = option[..<separator].lowercased()
      let value = option[option.index(after: separator)...].trimmingPrefix { $0 == " " }
      guard !value.isEmpty else { continue }
      switch key {
      case "proxyjump": found.jump = found.jump ?? String(value)
      case "proxycommand": found.command = found.command ?? String(value)
      default: continue
      }
    }
  }
}
