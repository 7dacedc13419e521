import Lexer
import Testing

@Suite("Diagnostic.inSourceOrder")
struct DiagnosticOrderTests {
  private func diagnostic(_ message: String, file: Int, start: Int) -> Diagnostic {
    .error(message, at: Span(file: file, start: start, end: start + 1))
  }

  @Test func ordersByFileThenOffset() {
    let shuffled = [
      diagnostic("b2", file: 1, start: 2), diagnostic("a9", file: 0, start: 9),
      diagnostic("b0", file: 1, start: 0), diagnostic("a1", file: 0, start: 1),
    ]
    #expect(Diagnostic.inSourceOrder(shuffled).map(\.message) == ["a1", "a9", "b0", "b2"])
  }

  @Test func keepsTheGivenOrderAtTheSamePlace() {
    let same = (0..<20).map { diagnostic("d\($0)", file: 0, start: 5) }
    let mixed = [diagnostic("late", file: 0, start: 8)] + same
    #expect(
      Diagnostic.inSourceOrder(mixed).map(\.message) == same.map(\.message) + ["late"])
  }

  @Test func unknownSpansComeFirst() {
    let list = [diagnostic("x", file: 0, start: 0), .error("nowhere", at: .unknown)]
    #expect(Diagnostic.inSourceOrder(list).map(\.message) == ["nowhere", "x"])
  }
}
