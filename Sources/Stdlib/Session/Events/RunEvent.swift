import Foundation
import Stdlib

/// One thing that happened in a run, as a value: what `--log-format json` and `--log FILE`
/// write (one JSON object per line), what the recap is computed from, and what a run journal
/// will be made of. Every field is documented, kind by kind, in `docs/events.md`.
public struct RunEvent: Sendable, Equatable {
  /// The kinds of event, by their `event` field.
  public enum Kind: String, Sendable, CaseIterable {
    /// The run began (after the playbook checked and its params bound).
    case runStart = "run_start"
    /// The run ended, however it ended.
    case runEnd = "run_end"
    /// A step began.
    case stepStart = "step_start"
    /// A step ended.
    case stepEnd = "step_end"
    /// A step was left out by `--start-at`, `--only` or `--skip`.
    case stepSkip = "step_skip"
    /// An `on` body ended on one host.
    case hostEnd = "host_end"
    /// A session to a host was opened and authenticated.
    case hostConnect = "host_connect"
    /// A host could not be connected to or authenticated with.
    case hostUnreachable = "host_unreachable"
    /// The run lock on a host was taken, taken over, refused or released.
    case lock
    /// A command began.
    case commandStart = "command_start"
    /// A line of a command's output.
    case output
    /// A command ended.
    case commandEnd = "command_end"
    /// A file was copied to, from or written on a host, or read from one.
    case transfer
    /// A TCP probe from the controller (`probe`, `wait_for_port`).
    case probe
    /// `log(…)`.
    case log
    /// `print(…)`.
    case print
    /// `warn(…)` or a warning raised at run time.
    case warning
    /// The error that stopped the run.
    case error
  }

  /// When it happened.
  public var time: Date
  /// What happened.
  public var kind: Kind
  /// The innermost step running when it happened, if any.
  public var step: String?
  /// The host it happened on, if any.
  public var host: String?
  /// The kind's own fields, in the order they are written.
  public var fields: [Field]

  /// Makes an event.
  public init(
    _ kind: Kind, time: Date = Date(), step: String? = nil, host: String? = nil,
    fields: [Field] = []
  ) {
    self.kind = kind
    self.time = time
    self.step = step
    self.host = host
    self.fields = fields
  }

  /// One named field.
  public struct Field: Sendable, Equatable {
    /// The JSON key.
    public var name: String
    /// The value.
    public var value: EventValue
    /// Makes a field.
    public init(_ name: String, _ value: EventValue) {
      self.name = name
      self.value = value
    }
  }

  /// The value of a field of the kind's own, by name.
  public subscript(name: String) -> EventValue? {
    fields.first { $0.name == name }?.value
  }

  /// The event as one line of JSON (no newline): `time`, `event`, `step`, `host`, then the
  /// kind's fields.
  public var jsonLine: String {
    var parts = [
      "\"time\":" + JSONText.string(Self.timestamp(time)),
      "\"event\":" + JSONText.string(kind.rawValue),
    ]
    if let step { parts.append("\"step\":" + JSONText.string(step)) }
    if let host { parts.append("\"host\":" + JSONText.string(host)) }
    for field in fields { parts.append(JSONText.string(field.name) + ":" + field.value.json) }
    return "{" + parts.joined(separator: ",") + "}"
  }

  /// RFC 3339 in UTC with microseconds: `2026-12-07T03:45:12.123456Z`.
  public static func timestamp(_ date: Date) -> String {
    let seconds = date.timeIntervalSince1970
    var whole = time_t(seconds.rounded(.down))
    var micros = Int(((seconds - Double(whole)) * 1_000_000).rounded())
    if micros >= 1_000_000 {
      whole += 1
      micros -= 1_000_000
    }
    var parts = tm()
    gmtime_r(&whole, &parts)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let fraction = String(micros + 1_000_000).dropFirst()
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
      + "T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
  }
}

/// A field's value.
public enum EventValue: Sendable, Equatable {
  /// Text.
  case string(String)
  /// A whole number.
  case int(Int64)
  /// A number with a fraction (milliseconds).
  case number(Double)
  /// True or false.
  case bool(Bool)
  /// A list of texts (host names).
  case strings([String])
  /// JSON written as it is (a step's value, see `StoredValue`).
  case json(String)

  /// Milliseconds from nanoseconds, to the microsecond.
  public static func milliseconds(_ nanoseconds: Int64) -> EventValue {
    .number((Double(nanoseconds) / 1_000).rounded() / 1_000)
  }

  /// The value as JSON.
  public var json: String {
    switch self {
    case .string(let text): JSONText.string(text)
    case .int(let number): String(number)
    case .number(let number): number.isFinite ? "\(number)" : "null"
    case .bool(let flag): flag ? "true" : "false"
    case .strings(let list): "[" + list.map(JSONText.string).joined(separator: ",") + "]"
    case .json(let text): text
    }
  }

  /// The text, when it is one.
  public var text: String? {
    if case .string(let text) = self { return text }
    return nil
  }
}

/// JSON string literals.
enum JSONText {
  /// `text` quoted and escaped for JSON (control characters as `\u00XX`).
  static func string(_ text: String) -> String { JSONWriter.quote(text) }
}
