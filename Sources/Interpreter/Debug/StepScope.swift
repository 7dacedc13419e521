/// The names visible where a step is written, captured when the step is compiled, so that the
/// debugger can compile input in that scope while the step is paused.
final class StepScope: @unchecked Sendable {
  /// The run's top-level names.
  let globals: GlobalScope
  /// The function (or top level) the step is in.
  let function: FunctionScope
  /// That function's open blocks at the step, outermost first.
  let blocks: [BlockScope]

  init(globals: GlobalScope, function: FunctionScope) {
    self.globals = globals
    self.function = function
    self.blocks = function.blocks
  }

  /// Every visible name with its binding, inner blocks shadowing outer ones: the function's
  /// own, the top-level names, and names of enclosing functions that this one captured.
  var bindings: [(name: String, binding: Binding)] {
    var seen: [String: Binding] = [:]
    var order: [String] = []
    for block in blocks.reversed() {
      for (name, binding) in block.names where seen[name] == nil {
        seen[name] = binding
        order.append(name)
      }
    }
    var outer = function.captures
    if !function.isTopLevel { outer += globals.block.names.values }
    for binding in outer where seen[binding.name] == nil {
      seen[binding.name] = binding
      order.append(binding.name)
    }
    return order.sorted().compactMap { name in seen[name].map { (name, $0) } }
  }
}
