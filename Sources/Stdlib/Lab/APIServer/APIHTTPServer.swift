import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The API server's HTTPS listener: TLS with the serving certificate, client certificates
/// optional but, when presented, verified against `--client-ca-file`; HTTP/1.1, one request
/// per connection (`Connection: close`), bodies up to 8 MiB, and a connection that sends
/// nothing for `idleTimeout` is closed.
enum APIHTTPServer {
  /// The largest request body read.
  static let maxBody = 8 << 20
  /// How long a connection may stay silent.
  static let idleTimeout: TimeAmount = .seconds(60)

  /// Binds `host:port` and serves `handler` until the channel closes.
  static func bind(
    host: String, port: Int, tls: NIOSSLContext, handler: APIHandler
  ) async throws -> any Channel {
    try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .serverChannelOption(.backlog, value: 256)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
          try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
          try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
          try channel.pipeline.syncOperations.addHandler(RequestHandler(handler: handler))
        }
      }
      .bind(host: host, port: port).get()
  }

  /// The server's TLS context.
  static func tlsContext(certificateFile: String, keyFile: String, clientCAFile: String?) throws
    -> NIOSSLContext
  {
    var configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) },
      privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem)))
    if let clientCAFile {
      configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCAFile))
      configuration.certificateVerification = .optionalVerification
    }
    return try NIOSSLContext(configuration: configuration)
  }
}

/// Gathers one request, hands it to the `APIHandler` off the event loop, writes the answer
/// and closes the connection.
private final class RequestHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private let handler: APIHandler
  private var head: HTTPRequestHead?
  private var body: [UInt8] = []
  private var tooLarge = false

  init(handler: APIHandler) { self.handler = handler }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let head):
      self.head = head
      body = []
    case .body(var buffer):
      if body.count + buffer.readableBytes > APIHTTPServer.maxBody {
        tooLarge = true
      } else if let bytes = buffer.readBytes(length: buffer.readableBytes) {
        body += bytes
      }
    case .end:
      guard let head else { return }
      self.head = nil
      let channel = context.channel
      if tooLarge {
        Self.write(
          APIStatusError(
            code: 413, reason: "RequestEntityTooLarge", message: "request is too large"
          )
          .response, to: channel)
        return
      }
      let certificate = try? context.pipeline.syncOperations.nioSSL_peerCertificate()?.toDERBytes()
      var headers: [String: String] = [:]
      for (name, value) in head.headers { headers[name.lowercased()] = value }
      let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
      let request = APIRequest(
        method: head.method.rawValue, path: String(parts.first ?? ""),
        query: parts.count > 1 ? String(parts[1]) : "", headers: headers, body: body,
        clientCertificateDER: certificate)
      Self.respond(to: request, with: handler, on: channel)
    }
  }

  /// Answers off the event loop: the handler waits on etcd.
  private static func respond(
    to request: APIRequest, with handler: APIHandler, on channel: any Channel
  ) {
    Task {
      let response = await handler.handle(request)
      write(response, to: channel)
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    context.close(promise: nil)
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if event is IdleStateHandler.IdleStateEvent {
      context.close(promise: nil)
    } else {
      context.fireUserInboundEventTriggered(event)
    }
  }

  private static func write(_ response: APIResponse, to channel: any Channel) {
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: response.contentType)
    headers.add(name: "Content-Length", value: String(response.body.count))
    headers.add(name: "Connection", value: "close")
    headers.add(name: "Cache-Control", value: "no-cache, private")
    let head = HTTPResponseHead(
      version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
    channel.write(HTTPServerResponsePart.head(head), promise: nil)
    channel.write(
      HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: response.body))), promise: nil)
    channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in
      channel.close(promise: nil)
    }
  }
}
