import Crypto

extension SHA256 {
  /// The lowercase hex SHA-256 of `bytes`: what `sha256sum` prints.
  public static func hex(_ bytes: some Sequence<UInt8>) -> String {
    var digest = SHA256()
    digest.update(data: Array(bytes))
    return digest.finalizeHex()
  }

  /// Adds a chunk read into a buffer.
  mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
    update(bufferPointer: UnsafeRawBufferPointer(bytes))
  }

  /// Adds bytes.
  mutating func update(_ bytes: [UInt8]) { update(data: bytes) }

  /// The digest as lowercase hex.
  func finalizeHex() -> String {
    finalize().map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }
}
