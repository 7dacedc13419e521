import Foundation
import Interpreter

/// Clock, sleeping and duration conversions.
enum TimeBuiltins {
  static let family = BuiltinFamily(
    title: "Time and durations",
    help: "The clock, sleeping, and converting durations (written 2s, 500ms, 1h30m) to numbers.",
    builtins: [
      Builtin(
        "now", [], help: "Seconds since 1970-01-01 UTC as a float; subtract two to time something.",
        body: { _ in .float(Date().timeIntervalSince1970) }),
      Builtin(
        "timestamp", [], help: "The current UTC time as ISO 8601 text: 2024-05-01T12:00:00Z.",
        body: { _ in .string(Date().formatted(.iso8601)) }),
      Builtin(
        "sleep", [.req("duration")],
        help: "Pauses the run (or this host's branch) for the duration; Ctrl-C ends it at once.",
        resolve: { param in
          let duration = param["duration"]
          return { call in
            let nanoseconds = try call.duration(duration)
            if nanoseconds < 0 { throw call.badArgument(duration, "negative duration") }
            try call.context.run.cancellation.sleep(nanoseconds: nanoseconds)
            return .nil
          }
        }),
      Builtin(
        "duration", [.req("value")],
        help: "A duration from text (\"1h30m\") or a number of seconds (90, 1.5).",
        resolve: { param in
          let value = param["value"]
          return { call in try duration(call, value) }
        }),
      Builtin(
        "seconds", [.req("duration")], help: "The duration in seconds, as a float.",
        resolve: { param in
          let duration = param["duration"]
          return { call in .float(Double(try call.duration(duration)) / 1e9) }
        }),
      Builtin(
        "milliseconds", [.req("duration")], help: "The duration in whole milliseconds, as an int.",
        resolve: { param in
          let duration = param["duration"]
          return { call in .int(Int(try call.duration(duration) / 1_000_000)) }
        }),
    ])

  static func duration(_ call: BuiltinCall, _ argument: BuiltinArgument) throws -> Value {
    let value = try call.value(argument)
    switch value {
    case .duration: return value
    case .int, .float:
      let nanoseconds = (try call.number(argument) * 1e9).rounded()
      guard nanoseconds.isFinite, let d = Int64(exactly: nanoseconds) else {
        throw RuntimeError("duration overflow: \(value.repr) seconds")
      }
      return .duration(d)
    case .string, .result:
      let text = try call.string(argument)
      guard let d = DurationText.parse(text) else {
        throw RuntimeError(
          "invalid duration: \(Value.quoted(text))", hint: "write it like 90s, 10m or 1h30m")
      }
      return .duration(d)
    default: throw call.typeError(argument, expected: "string or number", got: value)
    }
  }
}
