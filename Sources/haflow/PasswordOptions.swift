import ArgumentParser
import Foundation
import Interpreter
import Session

/// The flags that give passwords for a whole run, shared by `run`, `exec`, `repl` and
/// `debug`: each is typed once (or read from a file) and held as a secret, never logged.
struct PasswordOptions: ParsableArguments {
  /// `--ask-pass`.
  @Flag(
    help:
      "Ask once for an SSH login password (no echo), tried after the keys by password or keyboard-interactive authentication: for hosts that have no key of yours yet."
  )
  var askPass = false

  /// `--ask-become-pass`.
  @Flag(
    help:
      "Ask once for the sudo password (no echo), used by every sudo of the run that gives none: run(…, sudo: true), exec --sudo, transfers with sudo: true. Empty with --ask-pass: the SSH password."
  )
  var askBecomePass = false

  /// `--become-password-file FILE`.
  @Option(
    help: ArgumentHelp(
      "Read the sudo password from the first line of this file (keep it 0600), as --ask-become-pass would ask it.",
      valueName: "file"))
  var becomePasswordFile: String?

  /// The two ways to give a sudo password exclude each other.
  func validate() throws {
    if askBecomePass && becomePasswordFile != nil {
      throw ValidationError("give --ask-become-pass or --become-password-file, not both")
    }
  }

  /// Asks for (or reads) the passwords the flags name and puts them into `setup`; exits 2
  /// when there is no terminal to ask on or the file cannot be read.
  func apply(to setup: inout RemoteSetup) throws {
    var login: String?
    if askPass {
      login = try ask("SSH password: ", flag: "--ask-pass")
      setup.configuration.loginPassword = login
    }
    if askBecomePass {
      guard hasTerminal else {
        throw failure(
          "--ask-become-pass needs a terminal to ask on (there is none); use --become-password-file FILE"
        )
      }
      let prompt = login == nil ? "sudo password: " : "sudo password [the SSH password]: "
      guard let password = Passphrase.ask(prompt: prompt) ?? login else {
        throw failure("no sudo password was typed")
      }
      setup.becomePassword = Secret(password, label: "sudo password")
    }
    if let becomePasswordFile {
      setup.becomePassword = Secret(try read(becomePasswordFile), label: "sudo password")
    }
  }

  private var hasTerminal: Bool {
    let tty = open("/dev/tty", O_RDWR | O_NOCTTY)
    if tty >= 0 { close(tty) }
    return tty >= 0
  }

  private func ask(_ prompt: String, flag: String) throws -> String {
    guard hasTerminal else {
      throw failure("\(flag) needs a terminal to ask on (there is none: /dev/tty cannot be opened)")
    }
    guard let typed = Passphrase.ask(prompt: prompt) else {
      throw failure("no password was typed for \(flag)")
    }
    return typed
  }

  /// The first line of `path`; a file others can read gets a warning.
  private func read(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw failure("cannot read the sudo password file \(path)")
    }
    if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions]
      as? Int, mode & 0o077 != 0
    {
      Console.err(
        "warning: \(path) can be read by others (mode \(String(mode & 0o777, radix: 8))); chmod 600 it\n"
      )
    }
    let text = String(decoding: data, as: UTF8.self)
    let line = text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
    let password = String(line.hasSuffix("\r") ? line.dropLast() : line)
    guard !password.isEmpty else { throw failure("the sudo password file \(path) is empty") }
    return password
  }

  private func failure(_ message: String) -> ExitCode {
    Console.err("error: \(message)\n")
    return ExitCode(2)
  }
}
