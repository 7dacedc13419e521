import Testing

@testable import Inventory

/// What the fuzz targets (fuzz/README.md) found: small files that hung or grew without bound.
/// Each now ends in an error, quickly; the inputs are also in fuzz/crashes/.
@Suite(.timeLimit(.minutes(5))) struct InventoryFuzzFindingsTests {
  /// `web[0:99999999999]` counted its hosts with a stride's `underestimatedCount`, which walks
  /// the whole stride: the loader never returned.
  @Test func hugeRangeFailsAtOnce() {
    for pattern in ["web[0:99999999999]", "web[0:9223372036854775806]", "w[1:99999999999:1]"] {
      #expect(throws: HostPattern.Failure.self) { try HostPattern.expand(pattern) }
    }
    // Nested ranges of long names: Foundation's substring search for the next '[' in each
    // name took seconds before the limit was reached.
    let long = String(repeating: "\u{FFFD}", count: 40)
    #expect(throws: HostPattern.Failure.self) {
      try HostPattern.expand("all\(long)[01:20]ent\(long)[00:20]ent\(long)[0:320]")
    }
    let error = InventoryTest.error("web[0:99999999999]\n", name: "hosts.ini")
    #expect(error?.message == "host pattern 'web[0:99999999999]' expands to more than 100000 hosts")
  }

  /// The input that timed out (5 s) first: 1023 × 20 hosts from one line, which must load.
  @Test func twentyThousandHostsLoad() throws {
    let text = "al:l\n  h[0:1022]x[01:20]\n"
    let inventory = try InventoryTest.load(text, name: "hosts.ini")
    #expect(inventory.hosts.count == 1 + 1023 * 20)
  }
}
