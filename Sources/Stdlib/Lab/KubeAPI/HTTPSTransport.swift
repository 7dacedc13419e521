import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP/1.1 exchange's answer.
public struct HTTPReply: Sendable {
  /// The status code.
  public var status: Int
  /// The headers, lower-cased names.
  public var headers: [String: String]
  /// The body.
  public var body: [UInt8]
}

/// One request over a fresh TLS connection (`Connection: close`), with a bounded connect and
/// a bounded wait for the whole answer. Shared by `KubeAPIClient` and the API server's etcd
/// client, so both fail the way Go's net/http does.
enum HTTPSTransport {
  /// The largest answer read (etcd ranges and object lists of a lab stay far below).
  static let maxBody = 64 << 20

  /// Sends `method path` to `host:port` and returns the reply; errors are worded as Go's.
  static func send(
    method: String, host: String, port: Int, path: String, headers: [(String, String)] = [],
    body: [UInt8]? = nil, tls: NIOSSLContext, connectTimeout: Duration, readTimeout: Duration
  ) async throws(KubeAPIError) -> HTTPReply {
    let url = "https://\(hostPort(host, port))\(path)"
    func failure(_ cause: String) -> KubeAPIError {
      .transport(method: method, url: url, cause: cause)
    }
    let group = MultiThreadedEventLoopGroup.singleton
    let promise = group.next().makePromise(of: HTTPReply.self)
    let channel: any Channel
    do {
      channel = try await ClientBootstrap(group: group)
        .connectTimeout(timeAmount(connectTimeout))
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            let ssl = try NIOSSLClientHandler(context: tls, serverHostname: nil)
            try channel.pipeline.syncOperations.addHandler(ssl)
            try channel.pipeline.syncOperations.addHTTPClientHandlers()
            try channel.pipeline.syncOperations.addHandler(ReplyCollector(promise: promise))
          }
        }
        .connect(host: host, port: port).get()
    } catch {
      promise.fail(error)
      throw failure(dialError(error, host: host, port: port))
    }
    let timeout = channel.eventLoop.scheduleTask(in: timeAmount(readTimeout)) {
      promise.fail(ReadTimeout())
      channel.close(promise: nil)
    }
    var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path)
    head.headers.add(name: "Host", value: hostPort(host, port))
    head.headers.add(name: "Connection", value: "close")
    head.headers.add(name: "Content-Length", value: String(body?.count ?? 0))
    for (name, value) in headers { head.headers.add(name: name, value: value) }
    channel.write(HTTPClientRequestPart.head(head), promise: nil)
    if let body, !body.isEmpty {
      channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
    }
    channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    do {
      let reply = try await promise.futureResult.get()
      timeout.cancel()
      channel.close(promise: nil)
      return reply
    } catch {
      timeout.cancel()
      channel.close(promise: nil)
      if error is ReadTimeout {
        throw failure("net/http: request canceled (Client.Timeout exceeded while awaiting headers)")
      }
      throw failure(tlsError(error))
    }
  }

  /// A Swift duration as NIO's.
  static func timeAmount(_ duration: Duration) -> TimeAmount {
    let (seconds, attoseconds) = duration.components
    return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }

  /// `127.0.0.10:6443`, `[::1]:6443`.
  static func hostPort(_ host: String, _ port: Int) -> String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
  }

  /// Go's dial errors: `dial tcp 127.0.0.10:6443: connect: connection refused`.
  static func dialError(_ error: any Error, host: String, port: Int) -> String {
    let prefix = "dial tcp \(hostPort(host, port)): "
    if let error = error as? ChannelError, case .connectTimeout = error {
      return prefix + "i/o timeout"
    }
    var errno: Int32?
    if let error = error as? IOError {
      errno = error.errnoCode
    } else if let error = error as? NIOConnectionError {
      errno = error.connectionErrors.compactMap { ($0.error as? IOError)?.errnoCode }.first
      if error.connectionErrors.contains(where: {
        if let channelError = $0.error as? ChannelError, case .connectTimeout = channelError {
          return true
        }
        return false
      }) {
        return prefix + "i/o timeout"
      }
      if errno == nil, error.dnsAAAAError != nil || error.dnsAError != nil {
        return "dial tcp: lookup \(host): no such host"
      }
    }
    switch errno {
    case ECONNREFUSED: return prefix + "connect: connection refused"
    case ETIMEDOUT: return prefix + "i/o timeout"
    case EHOSTUNREACH: return prefix + "connect: no route to host"
    case ENETUNREACH: return prefix + "connect: network is unreachable"
    case .some(let code): return prefix + "connect: " + String(cString: strerror(code)).lowercased()
    case nil: return prefix + "\(error)"
    }
  }

  /// Go's crypto/tls wording for what NIO-SSL reports.
  static func tlsError(_ error: any Error) -> String {
    let text = "\(error)"
    if text.contains("CERTIFICATE_VERIFY_FAILED") {
      return "tls: failed to verify certificate: x509: certificate signed by unknown authority"
    }
    if text.contains("CERTIFICATE_REQUIRED") || text.contains("ALERT_CERTIFICATE")
      || text.contains("ALERT_UNKNOWN_CA") || text.contains("ALERT_BAD_CERTIFICATE")
    {
      return "remote error: tls: bad certificate"
    }
    if error is NIOSSLError || error is BoringSSLError {
      return "tls: handshake failure (\(text))"
    }
    if let error = error as? ChannelError, case .eof = error { return "EOF" }
    if let error = error as? IOError, error.errnoCode == ECONNRESET {
      return "read: connection reset by peer"
    }
    return text
  }

  private struct ReadTimeout: Error {}
}

/// Gathers the response parts into one `HTTPReply`; fails on an early close or an error.
private final class ReplyCollector: ChannelInboundHandler {
  typealias InboundIn = HTTPClientResponsePart

  private let promise: EventLoopPromise<HTTPReply>
  private var reply: HTTPReply?

  init(promise: EventLoopPromise<HTTPReply>) { self.promise = promise }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let head):
      var headers: [String: String] = [:]
      for (name, value) in head.headers { headers[name.lowercased()] = value }
      reply = HTTPReply(status: Int(head.status.code), headers: headers, body: [])
    case .body(var buffer):
      if let bytes = buffer.readBytes(length: buffer.readableBytes) {
        reply?.body += bytes
        if (reply?.body.count ?? 0) > HTTPSTransport.maxBody {
          promise.fail(ChannelError.inputClosed)
          context.close(promise: nil)
        }
      }
    case .end:
      if let reply { promise.succeed(reply) }
      context.close(promise: nil)
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    promise.fail(ChannelError.eof)
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    promise.fail(error)
    context.close(promise: nil)
  }
}
