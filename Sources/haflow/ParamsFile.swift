import Foundation
import Session

/// Reads `--params FILE.yaml`: a YAML mapping from param names to values, read by the YAML
/// 1.2 core schema (`ParamsYAML`), so a quoted `"3"` stays a string and `1.10` keeps its text.
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
    do {
      return try ParamsYAML.decode(String(decoding: data, as: UTF8.self))
    } catch {
      throw Failure(message: "params file '\(path)' \(error.message)")
    }
  }
}
