import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An exclusive `flock` on the lab's lock file, so two `lab up`/`lab down` never interleave.
enum LabLock {
  /// Runs `body` holding the lock; waits at most `limit` for it.
  static func holding<T>(
    _ path: String, limit: Duration = .seconds(30), _ body: () throws -> T
  ) throws -> T {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw LabError("cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { _ = Glibc.close(fd) }
    let deadline = ContinuousClock.now + limit
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      guard ContinuousClock.now < deadline else {
        throw LabError("another haflow lab command holds \(path)")
      }
      usleep(50_000)
    }
    defer { flock(fd, LOCK_UN) }
    return try body()
  }
}
