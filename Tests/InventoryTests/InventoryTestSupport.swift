import Foundation
import Interpreter
import Session
import Testing

import struct Interpreter.Host

@testable import Inventory

/// Helpers for the inventory tests: parse a text as if read from a named file.
enum InventoryTest {
  /// The inventory in `text`, read as the file `name` (whose extension may pick the format).
  static func load(_ text: String, name: String) throws -> Inventory {
    var warnings: [String] = []
    return InventoryBridge.inventory(
      try InventoryLoader.parse(text, path: name, warnings: &warnings))
  }

  /// The warnings of loading `text`.
  static func warnings(_ text: String, name: String) throws -> [String] {
    var warnings: [String] = []
    _ = try InventoryLoader.parse(text, path: name, warnings: &warnings)
    return warnings
  }

  /// The error loading `text` throws (nil, and a recorded issue, when it loads).
  static func error(
    _ text: String, name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) -> InventoryError? {
    do {
      _ = try load(text, name: name)
      Issue.record("expected an error", sourceLocation: sourceLocation)
      return nil
    } catch let error as InventoryError {
      return error
    } catch {
      Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
      return nil
    }
  }

  /// `file:line:col: message` of an error, for compact expectations.
  static func summary(_ error: InventoryError?) -> String? {
    guard let error else { return nil }
    return "\(error.path):\(error.line ?? 0):\(error.column ?? 0): \(error.message)"
  }

  /// The hosts of a group, by name, in inventory order.
  static func members(_ inventory: Inventory, _ group: String) -> [String] {
    inventory.group(named: group).map(\.name)
  }
}

/// A temporary directory, removed when the value goes away.
final class InventoryDirectory {
  /// The directory.
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-inventory-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Writes `text` to `name` (creating directories) and returns the path.
  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let file = url.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }
}
