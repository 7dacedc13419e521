import Foundation
import Interpreter
import Testing

@testable import Stdlib

@Suite struct TimeTests {
  let h = Harness()

  @Test func nowIsSecondsSinceTheEpoch() throws {
    guard case .float(let now) = try h.call("now") else {
      Issue.record("now() is not a float")
      return
    }
    #expect(abs(now - Date().timeIntervalSince1970) < 5)
  }

  @Test func timestampIsISO8601() throws {
    guard case .string(let text) = try h.call("timestamp") else {
      Issue.record("timestamp() is not a string")
      return
    }
    #expect(text.count == 20 && text.hasSuffix("Z") && text.contains("T"))
  }

  @Test func sleepWaits() throws {
    let start = Date()
    #expect(try h.call("sleep", .duration(50_000_000)) == .nil)
    #expect(Date().timeIntervalSince(start) >= 0.045)
    #expect(h.error("sleep", .duration(-1)) == "bad argument #1 to 'sleep' (negative duration)")
    #expect(h.error("sleep", .int(2)) == "bad argument #1 to 'sleep' (duration expected, got int)")
    #expect(
      h.runtimeError("sleep", .int(2))?.hint
        == "durations are written with a unit: 2s, 500ms, 10m, 1h30m")
  }

  @Test func durations() throws {
    #expect(try h.call("duration", .s("1h30m")) == .seconds(5400))
    #expect(try h.call("duration", .s("500ms")) == .duration(500_000_000))
    #expect(try h.call("duration", .int(90)) == .seconds(90))
    #expect(try h.call("duration", .float(1.5)) == .duration(1_500_000_000))
    #expect(try h.call("duration", .seconds(2)) == .seconds(2))
    #expect(h.error("duration", .s("ten minutes")) == "invalid duration: \"ten minutes\"")
    #expect(h.error("duration", .s("30m1h")) == "invalid duration: \"30m1h\"")
    #expect(h.error("duration", .float(1e30)) == "duration overflow: 1e+30 seconds")
    #expect(
      h.error("duration", .nil)
        == "bad argument #1 to 'duration' (string or number expected, got nil)")
  }

  @Test func conversions() throws {
    #expect(try h.call("seconds", .duration(1_500_000_000)) == .float(1.5))
    #expect(try h.call("milliseconds", .duration(1_500_999_999)) == .int(1500))
    #expect(
      h.error("seconds", .int(1)) == "bad argument #1 to 'seconds' (duration expected, got int)")
  }
}
