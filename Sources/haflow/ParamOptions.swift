import ArgumentParser
import Session

/// The flags that give `param` values, shared by `run` and `debug`.
struct ParamOptions: ParsableArguments {
  /// `-p name=value`, repeatable.
  @Option(
    name: [.customShort("p"), .customLong("param")],
    help: ArgumentHelp(
      "Give a param a value (repeatable; split at the first '=').", valueName: "name=value"))
  var params: [String] = []

  /// `--params FILE.yaml`.
  @Option(
    name: .customLong("params"),
    help: ArgumentHelp("Read param values from a YAML mapping.", valueName: "file.yaml"))
  var paramsFile: String?

  /// Rejects `-p` values without a name and `=`.
  func validate() throws {
    for param in params {
      guard let equals = param.firstIndex(of: "="), equals != param.startIndex else {
        throw ValidationError("-p expects name=value, got '\(param)'")
      }
    }
  }

  /// The values given: the params file first, then each `-p` (a later one wins); exits 2 when
  /// the file cannot be used.
  func inputs(report: OutcomeReport) throws -> [String: ParamInput] {
    var inputs: [String: ParamInput] = [:]
    if let paramsFile {
      do {
        inputs = try ParamsFile.load(path: paramsFile)
      } catch {
        report.usageError(error.message)
        throw ExitCode(ExitStatus.usage)
      }
    }
    for (name, value) in Self.split(params) { inputs[name] = .text(value) }
    return inputs
  }

  /// `name=value` pairs split at the first `=`, in order.
  static func split(_ params: [String]) -> [(name: String, value: String)] {
    params.compactMap { param in
      guard let equals = param.firstIndex(of: "=") else { return nil }
      return (String(param[..<equals]), String(param[param.index(after: equals)...]))
    }
  }
}
