import Testing

@testable import Inventory

/// Host patterns: ranges (as `expand_hostname_range`) and ports (as `parse_address`).
@Suite struct InventoryRangeTests {
  func names(_ pattern: String) throws -> [String] { try HostPattern.expand(pattern).names }

  func failure(_ pattern: String) -> String? {
    do {
      _ = try HostPattern.expand(pattern)
      return nil
    } catch {
      return error.message
    }
  }

  @Test func zeroPaddedNumbers() throws {
    let web = try names("web[01:20].example.com")
    #expect(web.count == 20)
    #expect(web.prefix(3) == ["web01.example.com", "web02.example.com", "web03.example.com"])
    #expect(web.last == "web20.example.com")
    #expect(try names("db[8:11]") == ["db8", "db9", "db10", "db11"])
    #expect(try names("n[:2]") == ["n0", "n1", "n2"])
  }

  @Test func steps() throws {
    #expect(try names("x[0:10:2]") == ["x0", "x2", "x4", "x6", "x8", "x10"])
    #expect(try names("w[01:20:7]") == ["w01", "w08", "w15"])
    #expect(try names("z[a:g:3]") == ["za", "zd", "zg"])
  }

  @Test func letters() throws {
    #expect(
      try names("node-[a:f]") == ["node-a", "node-b", "node-c", "node-d", "node-e", "node-f"])
    #expect(try names("n[y:B]") == ["ny", "nz", "nA", "nB"])
  }

  @Test func severalRanges() throws {
    #expect(try names("r[1:2]-[a:b]") == ["r1-a", "r1-b", "r2-a", "r2-b"])
    #expect(try names("10.0.[0:1].[1:2]") == ["10.0.0.1", "10.0.0.2", "10.0.1.1", "10.0.1.2"])
  }

  @Test func reversedNumericRangeIsEmpty() throws {
    #expect(try names("web[5:1]") == [])
  }

  @Test func ports() {
    #expect(HostPattern.splitPort("web1:2222") == ("web1", 2222))
    #expect(HostPattern.splitPort("web[1:3]:22") == ("web[1:3]", 22))
    #expect(HostPattern.splitPort("[::1]:22") == ("::1", 22))
    #expect(HostPattern.splitPort("fe80::1") == ("fe80::1", nil))
    #expect(HostPattern.splitPort("10.0.0.1:22") == ("10.0.0.1", 22))
    // Not a valid host name: kept whole, as Ansible does.
    #expect(HostPattern.splitPort("web_:22") == ("web_:22", nil))
  }

  @Test func errors() {
    #expect(
      failure("web[1:x]") == "host range '[1:x]' must have numbers or single letters as bounds")
    #expect(failure("web[1:2:3:4]") == "host range '[1:2:3:4]' must be begin:end or begin:end:step")
    #expect(failure("web[1:]") == "host range '[1:]' must specify an end value")
    #expect(
      failure("web[01:100]")
        == "zero-padded host range '[01:100]' needs a begin and end of the same length")
    #expect(failure("web[c:a]") == "host range '[c:a]' must have begin <= end")
    #expect(failure("web[1:3:x]") == "host range '[1:3:x]' has a step 'x' that is not a number")
    #expect(failure("web[1:3:0]") == "host range '[1:3:0]' has a step of zero")
    #expect(failure("[web") == "unclosed '[' in host pattern '[web'")
    #expect(
      failure("h[0:999999]") == "host pattern 'h[0:999999]' expands to more than 100000 hosts")
    #expect(
      failure("h[0:999][0:999]")
        == "host pattern 'h[0:999][0:999]' expands to more than 100000 hosts")
  }
}
