extension Interpreter {
  /// The top-level variables and their values, by name (declared functions left out), for
  /// the REPL's `:vars`. Call between inputs, not while one runs.
  public var globalValues: [(name: String, value: Value)] {
    globalScope.block.names.sorted { $0.key < $1.key }.compactMap { name, binding in
      guard binding.functionParameters == nil, case .global(let slot) = binding.storage else {
        return nil
      }
      return (name, slot < globals.count ? globals.storage[slot] : .nil)
    }
  }
}
