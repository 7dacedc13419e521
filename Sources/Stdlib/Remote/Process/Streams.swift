import Subprocess

/// Reading a running command's output and enforcing its timeout.
enum Streams {
  /// Reads a stream to its end, emitting each line to the sink as it arrives.
  static func drain(
    _ stream: SubprocessOutputSequence, host: String, isError: Bool, sink: any TransportOutput
  ) async throws -> [UInt8] {
    var splitter = LineSplitter()
    let emit: (String) -> Void = { line in
      sink.line(line, isError: isError, host: host)
    }
    for try await buffer in stream {
      buffer.withUnsafeBytes { splitter.feed($0, emit: emit) }
    }
    splitter.finish(emit: emit)
    return splitter.bytes
  }

  /// Sleeps for `timeout`, then terminates, then (after `grace`) kills. Cancelled (the output
  /// ended first): reports whether it had fired.
  static func watchdog(
    timeout: Duration, grace: Duration, send: @Sendable (Signal) -> Void
  ) async -> StreamEvent {
    do {
      try await Task.sleep(for: timeout)
    } catch {
      return .watchdog(fired: false)
    }
    send(.terminate)
    do {
      try await Task.sleep(for: grace)
    } catch {
      return .watchdog(fired: true)
    }
    send(.kill)
    return .watchdog(fired: true)
  }
}
