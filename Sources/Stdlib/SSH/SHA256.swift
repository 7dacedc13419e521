#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// SHA-256, incremental: transfers hash what they send or receive while streaming, and host-key
/// fingerprints are the SHA-256 of the key blob.
///
/// It uses libcrypto's implementation when the process has it loaded (libssh2 links it on
/// Debian and most systems: hundreds of MB/s, even in debug builds), otherwise a Swift one.
public struct SHA256: Sendable {
  private var native: NativeDigest?
  private var portable = PortableSHA256()

  /// A fresh digest.
  public init() {
    native = LibCrypto.functions.flatMap { NativeDigest($0) }
  }

  /// The digest of `bytes` as lowercase hex, as `sha256sum` prints it.
  public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    var digest = SHA256()
    digest.update(Array(bytes))
    return digest.finalizeHex()
  }

  /// Adds bytes.
  public mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { update($0) }
  }

  /// Adds bytes from a buffer.
  public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let native else { return portable.update(bytes) }
    if !isKnownUniquelyReferenced(&self.native) { self.native = native.copy() ?? native }
    self.native?.update(bytes)
  }

  /// Finishes and returns the 32-byte digest.
  public mutating func finalize() -> [UInt8] {
    guard let native else { return portable.finalize() }
    if !isKnownUniquelyReferenced(&self.native) { self.native = native.copy() ?? native }
    return self.native?.finalize() ?? portable.finalize()
  }

  /// Finishes and returns the digest as lowercase hex.
  public mutating func finalizeHex() -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in finalize() {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}

/// An `EVP_MD_CTX` for SHA-256, owned by one `SHA256` value (copied on write).
private final class NativeDigest: @unchecked Sendable {
  private let api: LibCrypto
  private let context: OpaquePointer

  init?(_ api: LibCrypto) {
    guard let context = api.makeContext() else { return nil }
    self.api = api
    self.context = context
    guard api.initialize(context, api.sha256(), nil) == 1 else {
      api.freeContext(context)
      return nil
    }
  }

  private init?(api: LibCrypto, copying other: OpaquePointer) {
    guard let context = api.makeContext() else { return nil }
    self.api = api
    self.context = context
    _ = api.copy(context, other)
  }

  deinit { api.freeContext(context) }

  func copy() -> NativeDigest? { NativeDigest(api: api, copying: context) }

  func update(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
    _ = api.update(context, base, bytes.count)
  }

  func finalize() -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    _ = out.withUnsafeMutableBufferPointer { api.final(context, $0.baseAddress, &length) }
    return out
  }
}

/// libcrypto's EVP digest functions, looked up in the running process (never loaded by haflow
/// itself).
private struct LibCrypto: Sendable {
  typealias NewContext = @convention(c) () -> OpaquePointer?
  typealias FreeContext = @convention(c) (OpaquePointer?) -> Void
  typealias Algorithm = @convention(c) () -> OpaquePointer?
  typealias Initialize = @convention(c) (OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Int32
  typealias Update = @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int) -> Int32
  typealias Final =
    @convention(c) (
      OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?
    ) -> Int32
  typealias Copy = @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32

  let makeContext: NewContext
  let freeContext: FreeContext
  let sha256: Algorithm
  let initialize: Initialize
  let update: Update
  let final: Final
  let copy: Copy

  /// The functions, or nil when libcrypto is not in the process (an immutable global, resolved
  /// once).
  static let functions: LibCrypto? = {
    guard let process = dlopen(nil, RTLD_NOW) else { return nil }
    func symbol<T>(_ name: String, as type: T.Type) -> T? {
      dlsym(process, name).map { unsafeBitCast($0, to: type) }
    }
    guard let makeContext = symbol("EVP_MD_CTX_new", as: NewContext.self),
      let freeContext = symbol("EVP_MD_CTX_free", as: FreeContext.self),
      let sha256 = symbol("EVP_sha256", as: Algorithm.self),
      let initialize = symbol("EVP_DigestInit_ex", as: Initialize.self),
      let update = symbol("EVP_DigestUpdate", as: Update.self),
      let final = symbol("EVP_DigestFinal_ex", as: Final.self),
      let copy = symbol("EVP_MD_CTX_copy_ex", as: Copy.self),
      makeContext().map({ freeContext($0) }) != nil
    else { return nil }
    return LibCrypto(
      makeContext: makeContext, freeContext: freeContext, sha256: sha256, initialize: initialize,
      update: update, final: final, copy: copy)
  }()
}
