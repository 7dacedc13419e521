import Foundation
import Remote

#if canImport(Glibc)
  import Glibc
#endif

/// The kubelet's readiness check of one pod: an `HTTP` probe is a real GET that must answer
/// 200 (etcd's `/readyz` on its metrics port; Debian's etcd 3.4 predates `/readyz`, so a 404
/// there falls back to its `/health`, which must say `"health":"true"`); an `HTTPS` probe
/// (the API server's) counts as passing when the port accepts a connection — the kubelet does
/// not speak TLS.
enum KubeletProbe {
  /// Whether `probe` passes against a pod on the node at `address`.
  static func passes(_ probe: StaticPodManifest.Probe, address: String) -> Bool {
    var host = probe.host.isEmpty ? address : probe.host
    host = KubeletAddresses.replaceLoopback(in: host, with: address)
    guard probe.scheme == "HTTP" else {
      return PortProbe.probe(host: host, port: probe.port, timeout: .milliseconds(300)).status
        == .open
    }
    guard let answer = get(host: host, port: probe.port, path: probe.path) else { return false }
    if answer.status == 404, let health = get(host: host, port: probe.port, path: "/health") {
      return health.status == 200 && health.body.contains("\"health\":\"true\"")
    }
    return answer.status == 200
  }

  /// `GET path` over HTTP/1.0 with a 1-second limit; the status code and body, or nil.
  static func get(host: String, port: Int, path: String) -> (status: Int, body: String)? {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var limit = timeval(tv_sec: 1, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { return nil }
    let request = Array("GET \(path) HTTP/1.0\r\nHost: \(host):\(port)\r\n\r\n".utf8)
    guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count
    else { return nil }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while response.count < 65_536 {
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count <= 0 { break }
      response += buffer[0..<count]
    }
    let text = String(decoding: response, as: UTF8.self)
    let words = text.prefix { $0 != "\r" && $0 != "\n" }.split(separator: " ")
    guard words.count >= 2, words[0].hasPrefix("HTTP/"), let status = Int(words[1]) else {
      return nil
    }
    let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
    return (status, body)
  }
}
