/// How far a file transfer has got while it runs: what a terminal's live line shows as
/// `copying FILE 12.3 MiB/40.0 MiB 8.1 MiB/s`. Told to `SSHConfiguration.transferProgress` at
/// most every `interval` per transfer (the end is told by the transfer's result, not here).
public struct TransferProgress: Sendable, Equatable {
  /// At most one report per transfer this often, by default
  /// (`SSHConfiguration.transferProgressInterval`).
  public static let interval: Duration = .milliseconds(250)

  /// Which way the bytes go.
  public enum Direction: String, Sendable {
    /// From this machine to the host.
    case upload
    /// From the host to this machine.
    case download
  }

  /// The inventory name of the host.
  public var host: String
  /// The file on the host.
  public var path: String
  /// Which way.
  public var direction: Direction
  /// Bytes moved so far.
  public var bytes: Int64
  /// The file's size, when known.
  public var total: Int64?
  /// Time since the transfer began.
  public var elapsed: Duration

  /// Makes a report.
  public init(
    host: String, path: String, direction: Direction, bytes: Int64, total: Int64?,
    elapsed: Duration
  ) {
    self.host = host
    self.path = path
    self.direction = direction
    self.bytes = bytes
    self.total = total
    self.elapsed = elapsed
  }

  /// Bytes per second so far; nil before any time has passed.
  public var rate: Double? {
    let seconds = Double(elapsed.nanosecondCount) / 1e9
    return seconds > 0 ? Double(bytes) / seconds : nil
  }
}

/// Counts a transfer's bytes as its loop moves them and reports them, throttled to one report
/// per interval. Used by one transfer's thread only.
final class TransferMeter {
  private let report: (@Sendable (TransferProgress) -> Void)?
  private let interval: Duration
  private var progress: TransferProgress
  private let started = ContinuousClock.now
  private var last = ContinuousClock.now

  /// A meter for `path` on `host`, reporting to the configuration's `transferProgress` (none:
  /// it only counts).
  init(
    _ configuration: SSHConfiguration, host: String, path: String,
    direction: TransferProgress.Direction, total: Int64?
  ) {
    report = configuration.transferProgress
    interval = configuration.transferProgressInterval
    progress = TransferProgress(
      host: host, path: path, direction: direction, bytes: 0, total: total, elapsed: .zero)
  }

  /// The size, once the transfer learns it.
  func setTotal(_ total: Int64) { progress.total = total }

  /// Adds `count` bytes moved; reports when the interval has passed since the last report.
  func add(_ count: Int) {
    guard let report else { return }
    progress.bytes += Int64(count)
    let now = ContinuousClock.now
    guard now - last >= interval else { return }
    last = now
    progress.elapsed = now - started
    report(progress)
  }
}
