import Foundation

/// POSIX shell quoting for the words the transport itself writes into the commands it sends
/// (directories, environment entries, the wrapped script, temporary paths).
enum ShellQuote {
  /// One word: bare when every character is plainly safe, otherwise in single quotes with each
  /// `'` written as `'\''`.
  static func quote(_ word: String) -> String {
    guard !word.isEmpty else { return "''" }
    if word.unicodeScalars.allSatisfy(isPlain) { return word }
    return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }

  private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
    scalar.isASCII
      && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
        || "-_./:=@%+,".unicodeScalars.contains(scalar))
  }
}
