import CLibEdit
import Foundation

extension LineEditor {
  /// Tab: completes the word before the cursor to the candidates' common prefix, or lists the
  /// candidates when there is nothing more to add.
  static let completeCallback: @convention(c) (OpaquePointer?, Int32) -> UInt8 = { editLine, _ in
    guard let editLine, let editor = LineEditor.from(editLine) else { return UInt8(CC_ERROR) }
    return editor.complete(editLine)
  }

  /// Ctrl-C: shows `^C` and ends the read; `readLine` reports it as interrupted and the line
  /// is dropped.
  static let cancelCallback: @convention(c) (OpaquePointer?, Int32) -> UInt8 = { editLine, _ in
    guard let editLine, let editor = LineEditor.from(editLine) else { return UInt8(CC_ERROR) }
    editor.cancelled = true
    if let info = el_line(editLine) {
      el_cursor(editLine, Int32(info.pointee.lastchar - info.pointee.cursor))
    }
    el_insertstr(editLine, "^C")
    // Ending the line through the pushed Return moves the cursor below it, as Return does.
    el_push(editLine, "\r")
    return UInt8(CC_REFRESH)
  }

  private func complete(_ editLine: OpaquePointer) -> UInt8 {
    guard let completer, let info = el_line(editLine) else { return UInt8(CC_ERROR) }
    let count = info.pointee.cursor - info.pointee.buffer
    let bytes = UnsafeRawBufferPointer(start: info.pointee.buffer, count: max(0, count))
    let before = String(decoding: bytes, as: UTF8.self)
    let completion = completer.complete(before)
    guard !completion.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
    let typed = String(before.suffix(completion.replacing))
    let common = completion.commonPrefix
    if common.count > typed.count, common.hasPrefix(typed) {
      var insertion = String(common.dropFirst(typed.count))
      // A completion that closes a string before a quote already there steps over it.
      let next = info.pointee.cursor < info.pointee.lastchar ? info.pointee.cursor.pointee : 0
      if insertion.hasSuffix("\""), next == CChar(UInt8(ascii: "\"")) {
        insertion.removeLast()
        el_insertstr(editLine, insertion)
        el_cursor(editLine, 1)
        return UInt8(CC_REFRESH)
      }
      el_insertstr(editLine, insertion)
      return UInt8(CC_REFRESH)
    }
    if completion.candidates.count == 1 { return UInt8(CC_REFRESH) }
    Console.out("\n" + Self.columns(completion.candidates, width: 80))
    return UInt8(CC_REDISPLAY)
  }

  /// Candidates in columns, as shells list them.
  static func columns(_ items: [String], width: Int) -> String {
    let cell = (items.map(\.count).max() ?? 0) + 2
    let perLine = max(1, width / cell)
    var out = ""
    for (index, item) in items.enumerated() {
      let last = index % perLine == perLine - 1 || index == items.count - 1
      out += last ? item + "\n" : item + String(repeating: " ", count: cell - item.count)
    }
    return out
  }
}
