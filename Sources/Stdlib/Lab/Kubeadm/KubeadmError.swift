/// A failure of the kubeadm stand-in, carrying the text kubeadm would print for it.
public struct KubeadmError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The message, without the trailing stack-trace hint.
  public let message: String

  /// An error with `message`.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}
