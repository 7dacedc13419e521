/// The kubeadm stand-in runs synchronously (it is a process's `main`); its API calls are
/// async. `blockingAPI` runs one call to completion from a thread outside Swift's cooperative
/// pool (the stand-in's main thread, or a test's `offPool`) and hands back its result.
func blockingAPI<T: Sendable>(
  _ work: @escaping @Sendable () async throws(KubeAPIError) -> T
) throws(KubeAPIError) -> T {
  let result: Result<T, KubeAPIError> = runBlocking {
    do throws(KubeAPIError) {
      return .success(try await work())
    } catch {
      return .failure(error)
    }
  }
  return try result.get()
}
