import ArgumentParser
import Foundation
import Stdlib

/// `haflow kubeadm parse-init [FILE|-] [--json] [--reveal]`.
struct KubeadmParseInitCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "parse-init",
    abstract: "Print the join data of `kubeadm init`'s output, secrets redacted.",
    discussion: """
      Reads the output of `kubeadm init` (any version since v1.13: one-line joins, \
      joins continued with `\\` and indented with tabs or spaces, other tools' prefixes on \
      every line, text before and after) and prints what joining nodes need: the endpoint, \
      the bootstrap token, the CA cert hash, the certificate key (with --upload-certs) and \
      the control-plane and worker join commands on one line each. The token and the key \
      are shown as <secret bootstrap-token> and <secret certificate-key> unless --reveal.

      With --json the keys are exactly endpoint, token, discovery_token_ca_cert_hash, \
      certificate_key, control_plane_join and worker_join; a value kubeadm did not print \
      is null. Output that holds no join command, or one cut short, is an error naming what \
      is missing (exit status 1): no partial join is ever printed.

      In a playbook, kubeadm.parse_init(result) gives the same fields as values (see \
      docs/kubeadm.md).

      EXAMPLES:
        sudo kubeadm init --upload-certs ... | tee init.log
        haflow kubeadm parse-init init.log
        haflow kubeadm parse-init --json --reveal init.log | jq -r .worker_join
        ssh cp1 cat init.log | haflow kubeadm parse-init -
      """)

  /// The file, `-` or nothing for standard input.
  @Argument(
    help: ArgumentHelp("The output of kubeadm init; - or none: standard input.", valueName: "file"))
  var file: String?

  /// `--json`.
  @Flag(help: "Print one JSON object.")
  var json = false

  /// `--reveal`.
  @Flag(help: "Print the token and the certificate key in clear.")
  var reveal = false

  /// Reads, parses and prints.
  func run() throws {
    let style = TerminalStyle.forStandardError(environment: ProcessInfo.processInfo.environment)
    let text: String
    if let file, file != "-" {
      guard let data = FileManager.default.contents(atPath: file) else {
        OutcomeReport(style: style).usageError("cannot read '\(file)'")
        throw ExitCode(ExitStatus.usage)
      }
      text = String(decoding: data, as: UTF8.self)
    } else {
      text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
    let parsed: KubeadmInitOutput
    do {
      parsed = try KubeadmOutputParser.parseInit(text)
    } catch {
      OutcomeReport(style: style).usageError(error.message)
      throw ExitCode(ExitStatus.failed)
    }
    let fields = Self.fields(parsed, reveal: reveal)
    if json {
      let members = fields.map { "  \(Self.quote($0.key)): \($0.value.map(Self.quote) ?? "null")" }
      Console.out("{\n" + members.joined(separator: ",\n") + "\n}\n")
    } else {
      let width = fields.map(\.key.count).max() ?? 0
      for (key, value) in fields {
        let padding = String(repeating: " ", count: width - key.count)
        Console.out("\(key):\(padding) \(value ?? "-")\n")
      }
    }
  }

  /// The fields in their documented order; nil where kubeadm printed nothing.
  static func fields(_ parsed: KubeadmInitOutput, reveal: Bool) -> [(key: String, value: String?)] {
    [
      ("endpoint", parsed.endpoint),
      ("token", reveal ? parsed.token : "<secret \(KubeadmFormats.tokenLabel)>"),
      ("discovery_token_ca_cert_hash", parsed.discoveryTokenCACertHash),
      (
        "certificate_key",
        parsed.certificateKey.map { reveal ? $0 : "<secret \(KubeadmFormats.certificateKeyLabel)>" }
      ),
      ("control_plane_join", parsed.controlPlaneJoin.map { reveal ? $0.line : $0.redactedLine }),
      ("worker_join", reveal ? parsed.workerJoin.line : parsed.workerJoin.redactedLine),
    ]
  }

  /// A JSON string.
  static func quote(_ text: String) -> String { JSONWriter.quote(text) }
}
