import Foundation

/// Loads an inventory file: haflow syntax (`.hf`), an Ansible INI inventory or an Ansible
/// YAML inventory (`.yml`, `.yaml`, `.json`), resolved as `ansible-inventory --list` resolves
/// it. Other extensions are recognised by their content.
public enum InventoryLoader {
  /// The hosts and groups of the inventory at `path`; throws an `InventoryError` that names
  /// the file, line and column.
  public static func load(path: String) throws -> HostInventory {
    var warnings: [String] = []
    return try load(path: path, warnings: &warnings)
  }

  /// Like `load(path:)`, and appends warnings (rendered, with their places): what Ansible
  /// would skip with a warning, such as an unexpected key in a YAML group.
  public static func load(path: String, warnings: inout [String]) throws -> HostInventory {
    try parse(try read(path), path: path, warnings: &warnings)
  }

  /// The inventory in `text`, read from `path` (whose extension may name the format).
  static func parse(_ text: String, path: String, warnings: inout [String]) throws -> HostInventory
  {
    let source = InventorySource(path: path, text: text)
    switch InventoryFormat.detect(path: path, text: text) {
    case .haflow:
      var builder = try HaflowInventoryParser.parse(source)
      builder.reconcile()
      return try InventoryResolver.resolve(builder, keys: .haflow)
    case .ini:
      var builder = try AnsibleINIParser.parse(source)
      builder.reconcile()
      return try InventoryResolver.resolve(builder, keys: .ansible)
    case .yaml:
      var builder = try AnsibleYAMLParser.parse(source, warnings: &warnings)
      builder.reconcile()
      return try InventoryResolver.resolve(builder, keys: .ansible)
    }
  }

  /// The text of a file (UTF-8, a byte order mark dropped).
  static func read(_ path: String) throws -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw InventoryError(path: path, message: "cannot read the file: it does not exist")
    }
    guard !isDirectory.boolValue else {
      throw InventoryError(
        path: path, message: "cannot read the file: it is a directory",
        hint: "give the inventory file itself, e.g. \(path)/hosts.ini")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InventoryError(path: path, message: "cannot read the file: permission denied")
    }
    guard var text = String(data: data, encoding: .utf8) else {
      throw InventoryError(path: path, message: "the file is not UTF-8 text")
    }
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    return text
  }
}
