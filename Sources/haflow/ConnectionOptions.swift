import ArgumentParser
import Foundation
import Interpreter
import Inventory
import Session

/// The flags that say how to reach hosts, shared by `run`, `exec`, `repl` and `debug`.
struct ConnectionOptions: ParsableArguments {
  /// `-i FILE`.
  @Option(
    name: [.customShort("i"), .customLong("inventory")],
    help: ArgumentHelp(
      "The inventory: haflow syntax, Ansible INI or Ansible YAML (see `haflow inventory`).",
      valueName: "file"))
  var inventory: String?

  /// `--accept-new-host-keys`.
  @Flag(
    help:
      "Record the host key of a host known_hosts does not list, instead of stopping. A changed key still stops the run."
  )
  var acceptNewHostKeys = false

  /// `--known-hosts FILE`.
  @Option(
    help: ArgumentHelp(
      "The known_hosts file host keys are checked against (default ~/.ssh/known_hosts).",
      valueName: "file"))
  var knownHosts: String?

  /// `--identity FILE`, repeatable.
  @Option(
    name: .customLong("identity"),
    help: ArgumentHelp(
      "A private key to try after ssh-agent (repeatable; default ~/.ssh/id_ed25519, id_ecdsa, id_rsa).",
      valueName: "file"))
  var identities: [String] = []

  /// `--ssh-config FILE`.
  @Option(
    help: ArgumentHelp(
      "The ssh client configuration (default ~/.ssh/config): HostName, User, Port, IdentityFile, IdentitiesOnly, UserKnownHostsFile, StrictHostKeyChecking, HashKnownHosts, ConnectTimeout, ServerAliveInterval, ProxyJump, Include, Match host/user; other options are ignored with a warning.",
      valueName: "file"))
  var sshConfig: String?

  /// `-u NAME`: the login user where nothing more specific names one.
  @Option(
    name: [.customShort("u"), .customLong("user")],
    help: ArgumentHelp(
      "The login user for hosts whose inventory entry (ansible_user, user@host) and ssh config (User) name none; default $USER.",
      valueName: "name"))
  var user: String?

  /// `--jump [USER@]HOST[:PORT]`.
  @Option(
    help: ArgumentHelp(
      "Reach hosts through this jump host (as ssh -J), where the inventory and ssh config (ProxyJump) name none.",
      valueName: "[user@]host[:port]"))
  var jump: String?

  /// `--ask-pass`, `--ask-become-pass`, `--become-password-file`.
  @OptionGroup var passwords: PasswordOptions

  /// `--connect-timeout SECONDS`.
  @Option(
    help: ArgumentHelp(
      "Seconds allowed to connect to a host (default: the ssh config's ConnectTimeout, else 10).",
      valueName: "seconds"))
  var connectTimeout: Int?

  /// Rejects an empty inventory path, an empty user and a non-positive timeout.
  func validate() throws {
    if let inventory { try Self.validateInventoryPath(inventory) }
    if let connectTimeout, connectTimeout <= 0 {
      throw ValidationError("--connect-timeout must be at least 1 second")
    }
    if let user, user.isEmpty || user.contains(where: \.isWhitespace) {
      throw ValidationError("-u/--user needs a user name without spaces")
    }
  }

  /// An empty `-i` is what `-i "$(haflow lab up)"` gives when the lab did not start: say so,
  /// rather than that a file with no name cannot be read.
  static func validateInventoryPath(_ path: String) throws {
    guard path.allSatisfy(\.isWhitespace) else { return }
    throw ValidationError(
      "-i was given an empty path; if it came from $(haflow lab up), the lab did not start: its error is printed above"
    )
  }

  /// Loads the inventory and SSH settings, printing inventory warnings; exits 2 when a file
  /// cannot be read and 65 when the inventory is invalid.
  func setup(report: OutcomeReport, environment: [String: String]) throws -> RemoteSetup {
    var setup: RemoteSetup
    do {
      setup = try RemoteSetup.load(
        inventoryPath: inventory, sshConfigPath: sshConfig, defaultUser: user, jump: jump,
        environment: environment)
    } catch let error as InventoryError {
      throw report.inventoryFailure(error, warnings: [])
    }
    for warning in setup.warnings { Console.err(report.highlight(warning) + "\n") }
    setup.configuration.acceptNewHostKeys = acceptNewHostKeys
    if let knownHosts { setup.configuration.useKnownHosts(knownHosts) }
    if !identities.isEmpty { setup.configuration.identityFiles = identities }
    if let connectTimeout { setup.configuration.useConnectTimeout(.seconds(connectTimeout)) }
    setup.configuration.passphrase = { path in Passphrase.ask(forKey: path) }
    try passwords.apply(to: &setup)
    return setup
  }
}
