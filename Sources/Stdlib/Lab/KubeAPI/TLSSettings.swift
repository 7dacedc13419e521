import NIOSSL

/// How a client of the lab's HTTPS servers (the API server, etcd's gateway) trusts the server
/// and proves who it is. PEM bytes, not paths, so that a kubeconfig's embedded `*-data`
/// fields and files read from disk are the same thing.
public struct TLSClientSettings: Sendable {
  /// How the server's certificate is checked.
  public enum Trust: Sendable {
    /// Signed by one of these CA certificates (PEM). The name is not checked against the
    /// address: lab servers are reached by their 127.0.0.x address, which their certificates
    /// name, and the CA is what the procedures get right or wrong.
    case certificateAuthorities(pem: [UInt8])
    /// Any certificate (`insecure-skip-tls-verify`, kubeadm's first discovery fetch).
    case insecureSkipVerify
  }

  /// How the server is trusted.
  public var trust: Trust
  /// A client certificate chain and its key (PEM), or nil.
  public var identity: (certificatePEM: [UInt8], keyPEM: [UInt8])?

  /// Settings with `trust` and an optional client identity.
  public init(trust: Trust, identity: (certificatePEM: [UInt8], keyPEM: [UInt8])? = nil) {
    self.trust = trust
    self.identity = identity
  }

  /// The NIO-SSL context these settings describe.
  func makeContext() throws(KubeAPIError) -> NIOSSLContext {
    var configuration = TLSConfiguration.makeClientConfiguration()
    do {
      switch trust {
      case .certificateAuthorities(let pem):
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(pem))
        configuration.certificateVerification = .noHostnameVerification
      case .insecureSkipVerify:
        configuration.certificateVerification = .none
      }
    } catch {
      throw KubeAPIError.configuration("unable to load root certificates: \(error)")
    }
    if let identity {
      do {
        configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(
          identity.certificatePEM
        ).map { .certificate($0) }
        configuration.privateKey = .privateKey(
          try NIOSSLPrivateKey(bytes: identity.keyPEM, format: .pem))
      } catch {
        throw KubeAPIError.configuration("tls: failed to find any PEM data in certificate input")
      }
    }
    do {
      return try NIOSSLContext(configuration: configuration)
    } catch {
      throw KubeAPIError.configuration("unable to build a TLS client: \(error)")
    }
  }
}
