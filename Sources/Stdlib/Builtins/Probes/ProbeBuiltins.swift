import Interpreter

/// TCP port probes from the controller: `probe` (the `nc -zv -w 2` of the docs) and
/// `wait_for_port`.
enum ProbeBuiltins {
  static let family = BuiltinFamily(
    title: "Port probes",
    help:
      "TCP connection tests run from this machine (the controller), not from the current host: "
      + "the `nc -zv -w 2 HOST PORT` of the kubeadm docs. See docs/probes.md.",
    builtins: [
      Builtin(
        "probe", [.req("target"), .opt("port", "nil"), .opt("timeout", "2s")],
        help:
          "Tries a TCP connection to \"host:port\", \"[v6]:port\" or a host (value or name) and a "
          + "port; returns {status, open, latency, address, host, port, message}, status one of "
          + "open, refused, timeout, unreachable, dns_error. Never fails for network outcomes.",
        resolve: { param in
          let arguments = Arguments(param)
          return { call in try probe(call, arguments) }
        }),
      Builtin(
        "wait_for_port",
        [.req("target"), .opt("port", "nil"), .opt("timeout", "60s"), .opt("every", "1s")],
        help:
          "Probes the port every `every` until it is open and returns that probe's map; fails "
          + "after `timeout` naming the address, the last status and how long it waited.",
        resolve: { param in
          let (arguments, every) = (Arguments(param), param["every"])
          return { call in try waitForPort(call, arguments, every: every) }
        }),
    ])

  /// The handles of the arguments both probes take.
  struct Arguments {
    let target: BuiltinArgument
    let port: BuiltinArgument
    let timeout: BuiltinArgument

    init(_ param: ParameterLookup) {
      target = param["target"]
      port = param["port"]
      timeout = param["timeout"]
    }
  }

  static func probe(_ call: BuiltinCall, _ arguments: Arguments) throws -> Value {
    let target = try self.target(call, arguments)
    let timeout = try positiveDuration(call, arguments.timeout, default: .seconds(2))
    let cancellation = call.context.run.cancellation
    let report = try prober(call).probe(
      host: target.host, port: target.port, timeout: timeout.nanoseconds,
      cancellation: cancellation)
    try cancellation.check()
    return map(report)
  }

  static func waitForPort(_ call: BuiltinCall, _ arguments: Arguments, every: BuiltinArgument)
    throws -> Value
  {
    let target = try self.target(call, arguments)
    let timeout = try positiveDuration(call, arguments.timeout, default: .seconds(60))
    let every = try positiveDuration(call, every, default: .seconds(1))
    let outcome = try PortWaiter(
      prober: try prober(call), cancellation: call.context.run.cancellation
    ).wait(for: target, timeout: timeout, every: every)
    guard outcome.isOpen else {
      let last = outcome.last
      let tries = outcome.attempts == 1 ? "1 probe" : "\(outcome.attempts) probes"
      let waited = Value.formatDuration(
        Int64((outcome.waited / .milliseconds(1)).rounded()) * 1_000_000)
      throw RuntimeError(
        "\(target.display) did not open within \(Value.formatDuration(timeout.nanoseconds)): the last probe "
          + "was \(last.status.rawValue) (\(last.message)); waited \(waited), \(tries)",
        hint: hint(for: last.status))
    }
    return map(outcome.last)
  }

  /// The run's prober, or an error when the run has none.
  private static func prober(_ call: BuiltinCall) throws -> any PortProber {
    guard let prober = call.context.run.prober else {
      throw RuntimeError("'\(call.builtin.name)' cannot probe ports in this run")
    }
    return prober
  }

  /// The target from the `target` and `port` arguments.
  private static func target(_ call: BuiltinCall, _ arguments: Arguments) throws -> ProbeTarget {
    let port = try call.optionalInt(arguments.port)
    let text: String
    switch try call.value(arguments.target) {
    case .host(let host):
      guard port != nil else {
        throw call.badArgument(
          arguments.port, "a port is needed with a host",
          hint: "e.g. \(call.builtin.name)(host, 6443)")
      }
      text = host.address
    case .string(let value):
      // A bare inventory host name with a separate port probes that host's address.
      if port != nil, !value.contains(":"),
        let host = call.context.run.inventory.host(named: value)
      {
        text = host.address
      } else {
        text = value
      }
    case let other:
      throw call.typeError(arguments.target, expected: "string or host", got: other)
    }
    do {
      return try ProbeTarget.parse(text, port: port)
    } catch {
      throw call.badArgument(
        error.message.hasPrefix("invalid port ") ? arguments.port : arguments.target, error.message)
    }
  }

  private static func positiveDuration(
    _ call: BuiltinCall, _ argument: BuiltinArgument, default value: Duration
  ) throws -> Duration {
    guard let nanoseconds = try call.optionalDuration(argument) else { return value }
    guard nanoseconds > 0 else { throw call.badArgument(argument, "must be positive") }
    return .nanoseconds(nanoseconds)
  }

  /// The probe map of the docs.
  static func map(_ result: PortProbeReport) -> Value {
    let entries: ValueMap = [
      "status": .string(result.status.rawValue),
      "open": .bool(result.status == .open),
      "latency": .duration(result.latency),
      "address": result.address.map(Value.string) ?? .nil,
      "host": .string(result.host),
      "port": .int(result.port),
      "message": .string(result.message),
    ]
    return .map(entries)
  }

  private static func hint(for status: PortProbeReport.Status) -> String {
    switch status {
    case .open: ""
    case .refused: "the host answers but nothing listens on the port yet: is the service up?"
    case .timeout: "no answer at all: a firewall drops the traffic, or the host is down"
    case .unreachable: "check the address and the routes from this machine"
    case .dnsError: "check the name, or use an address"
    }
  }
}
