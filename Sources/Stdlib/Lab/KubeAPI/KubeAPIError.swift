/// Why a request to the lab's API server (or etcd) failed, worded as kubeadm and kubectl
/// (Go's net/http and client-go) print it.
public enum KubeAPIError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The request never got an answer: `dial tcp 127.0.0.10:6443: connect: connection refused`,
  /// `… i/o timeout`, a TLS failure. `method` and `url` make Go's `Get "URL": cause` form.
  case transport(method: String, url: String, cause: String)
  /// The server answered with an error Status (`code`, `reason`, `message`).
  case status(code: Int, reason: String, message: String)
  /// The client could not be built (bad kubeconfig, unreadable certificate).
  case configuration(String)

  /// The HTTP status code of a `.status` error.
  public var code: Int? {
    if case .status(let code, _, _) = self { return code }
    return nil
  }

  /// Whether it is a 404 NotFound.
  public var isNotFound: Bool { code == 404 }

  /// As client-go prints it: `Get "https://…": dial tcp …` or the server's message.
  public var description: String {
    switch self {
    case .transport(let method, let url, let cause):
      return "\(Self.goMethod(method)) \"\(url)\": \(cause)"
    case .status(_, _, let message): return message
    case .configuration(let message): return message
    }
  }

  /// The transport cause alone (`dial tcp …: connect: connection refused`).
  public var cause: String {
    if case .transport(_, _, let cause) = self { return cause }
    return description
  }

  /// Go's net/http names methods with an initial capital in its errors: `Get`, `Post`.
  static func goMethod(_ method: String) -> String {
    method.prefix(1).uppercased() + method.dropFirst().lowercased()
  }
}
