import Foundation
import Interpreter
import Session
import Stdlib

/// Reads `--params FILE.yaml`: a YAML mapping from param names to values, decoded by the
/// stdlib's YAML codec (the same one `yaml.decode` uses), so scalars keep their YAML types.
enum ParamsFile {
  /// Why a params file could not be used.
  struct Failure: Error {
    /// The message, naming the file.
    let message: String
  }

  /// The params in the file at `path`; an empty file gives none.
  static func load(path: String) throws(Failure) -> [String: ParamInput] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Failure(message: "cannot read params file '\(path)': no such file or not readable")
    }
    let decoded: Value
    do {
      decoded = try YAMLCodec.decode(String(decoding: data, as: UTF8.self))
    } catch let error as RuntimeError {
      throw Failure(
        message:
          "params file '\(path)' is not valid YAML: \(error.message.replacingOccurrences(of: "invalid YAML: ", with: ""))"
      )
    } catch {
      throw Failure(message: "params file '\(path)' is not valid YAML: \(error)")
    }
    switch decoded {
    case .nil: return [:]
    case .map(let entries):
      var params: [String: ParamInput] = [:]
      for (name, value) in entries { params[name] = .value(value) }
      return params
    default:
      throw Failure(message: "params file '\(path)' must be a mapping of param names to values")
    }
  }
}
