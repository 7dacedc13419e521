/// POSIX shell quoting for the words the transport itself writes into the commands it sends
/// (directories, environment entries, the wrapped script, temporary paths).
enum ShellQuote {
  /// One word: bare when every character is plainly safe, otherwise in single quotes with each
  /// `'` written as `'\''`.
  ///
  /// Written on UTF-8 bytes, not Foundation's `replacingOccurrences`: every command a run sends
  /// is quoted here, and the bridged version was 2% of haflow's CPU in a 200-host profile.
  static func quote(_ word: String) -> String {
    guard !word.isEmpty else { return "''" }
    if word.utf8.allSatisfy(isPlain) { return word }
    var quoted: [UInt8] = [0x27]
    quoted.reserveCapacity(word.utf8.count + 8)
    for byte in word.utf8 {
      if byte == 0x27 {
        quoted.append(contentsOf: #"'\''"#.utf8)
      } else {
        quoted.append(byte)
      }
    }
    quoted.append(0x27)
    return String(decoding: quoted, as: UTF8.self)
  }

  private static func isPlain(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    default:
      return plainPunctuation.contains(byte)
    }
  }

  private static let plainPunctuation = Array("-_./:=@%+,".utf8)
}
