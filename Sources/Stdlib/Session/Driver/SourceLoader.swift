import Foundation
import Interpreter
import Lexer

/// Reads and parses the files of one run, resolving imports relative to the importing file.
/// Each file is parsed once; its index in `sources` is its program's `file`.
final class SourceLoader: @unchecked Sendable {
  private let lock = NSLock()
  private var map = SourceMap()
  private var programs: [String: Program] = [:]
  private var parseDiagnostics: [Diagnostic] = []
  private var order: [Program] = []

  var sources: SourceMap { lock.withLock { map } }
  var diagnostics: [Diagnostic] { lock.withLock { parseDiagnostics } }

  /// Loads a file given on the command line.
  func load(path: String) -> Result<Program, LoadError> {
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    if let program = lock.withLock({ programs[absolute] }) { return .success(program) }
    guard let data = FileManager.default.contents(atPath: absolute) else {
      return .failure(LoadError("cannot read '\(path)': no such file or not readable"))
    }
    let text = String(decoding: data, as: UTF8.self)
    return .success(add(text: text, name: path, absolute: absolute))
  }

  /// Adds source text under a name and parses it.
  func add(text: String, name: String, absolute: String? = nil) -> Program {
    lock.lock()
    let index = map.add(SourceFile(name: name, text: text))
    lock.unlock()
    let (program, diagnostics) = Parser.parse(SourceFile(name: name, text: text), fileIndex: index)
    lock.withLock {
      parseDiagnostics += diagnostics
      if let absolute { programs[absolute] = program }
      order.append(program)
    }
    return program
  }

  /// The importer handed to the interpreter: paths are relative to the importing file.
  var importer: Interpreter.Importer {
    { [self] path, span in
      let base =
        sources.file(of: span).map {
          URL(fileURLWithPath: $0.name).deletingLastPathComponent()
        } ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
      let target =
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
      let absolute = target.standardizedFileURL.path
      if let program = lock.withLock({ programs[absolute] }) { return .success(program) }
      guard let data = FileManager.default.contents(atPath: absolute) else {
        return .failure(
          Diagnostic.error(
            "cannot import '\(path)': file not found", at: span,
            hint: "looked for \(absolute); imports are relative to the importing file"))
      }
      // Shown in diagnostics: an absolute import by its real path, a relative one beside the
      // name of the file importing it.
      let relativeName =
        path.hasPrefix("/")
        ? absolute
        : sources.file(of: span).map {
          URL(fileURLWithPath: $0.name).deletingLastPathComponent().appendingPathComponent(path)
            .relativePath
        } ?? path
      return .success(
        add(text: String(decoding: data, as: UTF8.self), name: relativeName, absolute: absolute))
    }
  }

  /// Every top-level `param` of the loaded files.
  func paramDeclarations() -> [ParamDecl] {
    lock.withLock { order }.flatMap { program in
      program.statements.compactMap { statement in
        if case .param(let decl) = statement.kind { return decl }
        return nil
      }
    }
  }
}

/// A file that could not be read.
struct LoadError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
