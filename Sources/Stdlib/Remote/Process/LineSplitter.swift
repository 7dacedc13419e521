/// Cuts a byte stream into lines as it arrives, keeping every byte for the final text.
struct LineSplitter {
  /// Every byte seen.
  private(set) var bytes: [UInt8] = []
  private var lineStart = 0

  /// Adds bytes and calls `emit` with each completed line (without `\n` or `\r\n`).
  mutating func feed(_ chunk: UnsafeRawBufferPointer, emit: (String) -> Void) {
    bytes.append(contentsOf: chunk)
    var index = bytes.count - chunk.count
    while let newline = bytes[index...].firstIndex(of: 0x0A) {
      emit(line(lineStart..<newline))
      lineStart = newline + 1
      index = lineStart
    }
  }

  /// Emits the last line when the output did not end with a newline.
  mutating func finish(emit: (String) -> Void) {
    if lineStart < bytes.count { emit(line(lineStart..<bytes.count)) }
    lineStart = bytes.count
  }

  private func line(_ range: Range<Int>) -> String {
    var end = range.upperBound
    if end > range.lowerBound && bytes[end - 1] == 0x0D { end -= 1 }
    return String(decoding: bytes[range.lowerBound..<end], as: UTF8.self)
  }
}
