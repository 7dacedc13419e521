/// kube-apiserver's command line as kubeadm's manifest writes it (`--name=value`; pflag's
/// `--name value` works too). The flags the stand-in uses are read; every other flag is
/// accepted and ignored, as the manifest carries many (admission plugins, service CIDR, …).
public struct APIServerOptions: Sendable, Equatable {
  /// `--advertise-address`.
  public var advertiseAddress: String?
  /// `--bind-address`; the stand-in listens on the advertise address when it is absent, as
  /// lab hosts share one loopback and cannot each take 0.0.0.0:6443.
  public var bindAddress: String?
  /// `--secure-port` (6443).
  public var securePort = 6443
  /// `--tls-cert-file`, `--tls-private-key-file`.
  public var tlsCertFile: String?
  public var tlsPrivateKeyFile: String?
  /// `--client-ca-file`.
  public var clientCAFile: String?
  /// `--etcd-servers`, split at commas.
  public var etcdServers: [String] = []
  /// `--etcd-cafile`, `--etcd-certfile`, `--etcd-keyfile`.
  public var etcdCAFile: String?
  public var etcdCertFile: String?
  public var etcdKeyFile: String?

  /// Parses the arguments after the program name; a message for a malformed one.
  public static func parse(_ arguments: [String]) -> Result<APIServerOptions, APIServerFailure> {
    var options = APIServerOptions()
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      guard argument.hasPrefix("--") else {
        return .failure(APIServerFailure("unknown command \"\(argument)\" for \"kube-apiserver\""))
      }
      var name = String(argument.dropFirst(2))
      var value: String
      if let equals = name.firstIndex(of: "=") {
        value = String(name[name.index(after: equals)...])
        name = String(name[..<equals])
      } else if index < arguments.count, !arguments[index].hasPrefix("--") {
        value = arguments[index]
        index += 1
      } else {
        value = "true"
      }
      switch name {
      case "advertise-address": options.advertiseAddress = value
      case "bind-address": options.bindAddress = value
      case "secure-port":
        guard let port = Int(value), (1...65535).contains(port) else {
          return .failure(
            APIServerFailure(
              "invalid argument \"\(value)\" for \"--secure-port\" flag: must be a port number"))
        }
        options.securePort = port
      case "tls-cert-file": options.tlsCertFile = value
      case "tls-private-key-file": options.tlsPrivateKeyFile = value
      case "client-ca-file": options.clientCAFile = value
      case "etcd-servers": options.etcdServers = value.split(separator: ",").map(String.init)
      case "etcd-cafile": options.etcdCAFile = value
      case "etcd-certfile": options.etcdCertFile = value
      case "etcd-keyfile": options.etcdKeyFile = value
      default: break
      }
    }
    return .success(options)
  }

  /// The address to listen on.
  public var listenAddress: String {
    if let bindAddress, bindAddress != "0.0.0.0", bindAddress != "::" { return bindAddress }
    return advertiseAddress ?? "127.0.0.1"
  }
}

/// Why the API server stand-in stopped: one line for stderr.
public struct APIServerFailure: Error, Sendable, Equatable {
  /// The message.
  public var message: String
  /// A failure saying `message`.
  public init(_ message: String) { self.message = message }
}
