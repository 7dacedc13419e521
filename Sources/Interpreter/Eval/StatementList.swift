/// Statement lists compiled into one piece of code.
///
/// A block runs its statements until one leaves it (`break`, `continue`, `return`). Code kept
/// in an array would be called through a reabstraction thunk and retained on each read, so a
/// list becomes nested closures instead: up to four statements in one closure, longer lists a
/// tree of such closures (depth log4 n, so a 50,000-line file does not nest its calls deeply).
enum StatementList {
  static func code(_ codes: [StmtBox]) -> StmtCode {
    switch codes.count {
    case 0: return { _ in .normal }
    case 1: return codes[0].run
    case 2: return pair(codes[0].run, codes[1].run)
    case 3: return triple(codes[0].run, codes[1].run, codes[2].run)
    case 4: return quadruple(codes[0].run, codes[1].run, codes[2].run, codes[3].run)
    default:
      let size = (codes.count + 3) / 4
      let parts = stride(from: 0, to: codes.count, by: size).map { start in
        StmtBox(code(Array(codes[start..<min(start + size, codes.count)])))
      }
      return code(parts)
    }
  }

  private static func pair(_ a: @escaping StmtCode, _ b: @escaping StmtCode) -> StmtCode {
    { frame in
      let flow = try a(frame)
      guard case .normal = flow else { return flow }
      return try b(frame)
    }
  }

  private static func triple(
    _ a: @escaping StmtCode, _ b: @escaping StmtCode, _ c: @escaping StmtCode
  ) -> StmtCode {
    { frame in
      var flow = try a(frame)
      guard case .normal = flow else { return flow }
      flow = try b(frame)
      guard case .normal = flow else { return flow }
      return try c(frame)
    }
  }

  private static func quadruple(
    _ a: @escaping StmtCode, _ b: @escaping StmtCode, _ c: @escaping StmtCode,
    _ d: @escaping StmtCode
  ) -> StmtCode {
    { frame in
      var flow = try a(frame)
      guard case .normal = flow else { return flow }
      flow = try b(frame)
      guard case .normal = flow else { return flow }
      flow = try c(frame)
      guard case .normal = flow else { return flow }
      return try d(frame)
    }
  }
}
