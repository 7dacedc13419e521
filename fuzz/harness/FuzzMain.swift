// libFuzzer entry point for every parser that reads user text: one binary, the target picked
// by HAFLOW_FUZZ_TARGET (default `script`).
//
// Built by fuzz/build.sh (not by SwiftPM: libFuzzer supplies `main`). Any crash, trap
// (array index, integer overflow, force unwrap), sanitizer report, timeout or out-of-memory
// is a bug: the design promises "never a crash" for any input. Each target feeds the input
// down the path a real file takes and renders the resulting error or values, so a crash in
// error rendering is found too.
//
// With HAFLOW_FUZZ_STRICT=1 the harness also checks invariants and traps when one fails (see
// each target: spans inside the file, errors of the documented type, JSON round trips).

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The parsers, by the name HAFLOW_FUZZ_TARGET gives.
enum FuzzTarget: String, CaseIterable {
  /// The language: lexer, parser, checker, diagnostics.
  case script
  /// An Ansible INI inventory (with host ranges and Python literals), and format detection.
  case ini
  /// An Ansible YAML inventory (libyaml, Yams, the YAML reader).
  case yaml
  /// An inventory in haflow syntax.
  case haflowInventory = "haflow-inventory"
  /// An OpenSSH client configuration, `Include` served from memory.
  case sshConfig = "ssh-config"
  /// `json.decode`, and `json.encode` of what it returns.
  case json
  /// The Python-literal reader of INI values, and Python's `int()`.
  case pythonLiteral = "python-literal"
  /// `kubeadm.parse_init`, `parse_join_command` and `parse_upload_certs`.
  case kubeadmInit = "kubeadm-init"

  func run(_ bytes: UnsafeBufferPointer<UInt8>) {
    switch self {
    case .script: fuzzScript(bytes)
    case .ini: fuzzINI(text(bytes))
    case .yaml: fuzzYAML(text(bytes))
    case .haflowInventory: fuzzHaflowInventory(text(bytes))
    case .sshConfig: fuzzSSHConfig(text(bytes))
    case .json: fuzzJSON(String(decoding: bytes, as: UTF8.self))
    case .pythonLiteral: fuzzPythonLiteral(String(decoding: bytes, as: UTF8.self))
    case .kubeadmInit: fuzzKubeadmInit(String(decoding: bytes, as: UTF8.self))
    }
  }

  /// A file's text as `InventoryLoader.read` gives it: UTF-8 (here decoded leniently, a
  /// superset of what a file can hold), a byte order mark dropped.
  private func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    var text = String(decoding: bytes, as: UTF8.self)
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    return text
  }
}

/// Keeps results observable so the optimizer cannot drop the work.
nonisolated(unsafe) var blackHole = 0

/// Whether invariant violations abort (HAFLOW_FUZZ_STRICT=1).
nonisolated(unsafe) var strict = false

nonisolated(unsafe) private var target = FuzzTarget.script

/// Reports a broken invariant with the input (escaped) and aborts, so libFuzzer saves it.
func violation(_ message: String, _ bytes: [UInt8]) -> Never {
  var escaped = ""
  for byte in bytes {
    switch byte {
    case 0x20..<0x7f where byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "\""):
      escaped.append(Character(UnicodeScalar(byte)))
    default:
      escaped += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
    }
  }
  let report = Array("haflow-fuzz invariant violated: \(message)\ninput: \"\(escaped)\"\n".utf8)
  _ = report.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
  abort()
}

/// Reads HAFLOW_FUZZ_TARGET and HAFLOW_FUZZ_STRICT once, before the first input.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> Int32 {
  strict = getenv("HAFLOW_FUZZ_STRICT").map { String(cString: $0) == "1" } ?? false
  let name = getenv("HAFLOW_FUZZ_TARGET").map { String(cString: $0) } ?? ""
  if !name.isEmpty {
    guard let chosen = FuzzTarget(rawValue: name) else {
      let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
      let message = Array(
        "haflow-fuzz: unknown HAFLOW_FUZZ_TARGET '\(name)'; one of \(names)\n".utf8)
      _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
      exit(2)
    }
    target = chosen
  }
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  target.run(UnsafeBufferPointer(start: data, count: size))
  return 0
}
