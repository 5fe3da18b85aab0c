/// Runs `body` over `items` with at most `limit` in flight, starting the next the moment one finishes.
/// The first error cancels the rest and is rethrown.
public func forEachConcurrently<Item: Sendable>(
    _ items: [Item], limit: Int,
    _ body: @escaping @Sendable (Item) async throws(StorageError) -> Void
)
    async throws(StorageError)
{
    let outcome: StorageError? = await withTaskGroup(of: StorageError?.self) { group in
        var iterator = items.makeIterator()
        func startNext() -> Bool {
            guard let item = iterator.next() else { return false }
            group.addTask {
                do throws(StorageError) {
                    try await body(item)
                    return nil
                } catch {
                    return error
                }
            }
            return true
        }
        for _ in 0..<max(limit, 1) where !startNext() { break }
        while let finished = await group.next() {
            if let failure = finished {
                group.cancelAll()
                return failure
            }
            _ = startNext()
        }
        return nil
    }
    if let outcome { throw outcome }
}
