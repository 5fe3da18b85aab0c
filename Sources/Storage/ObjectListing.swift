/// The objects under a prefix as an async sequence, fetched a page at a time as it is iterated.
public struct ObjectListing: AsyncSequence, Sendable {
    public typealias Element = ObjectInfo
    public typealias Failure = StorageError

    /// One page: its objects and the token for the next page (nil on the last).
    public struct Page: Sendable {
        public let objects: [ObjectInfo]
        public let next: String?

        /// A page.
        public init(objects: [ObjectInfo], next: String?) {
            self.objects = objects
            self.next = next
        }
    }

    /// Fetches the page after `token` (nil for the first).
    public typealias FetchPage = @Sendable (_ token: String?) async throws(StorageError) -> Page

    private let fetch: FetchPage

    /// A listing over `fetch`.
    public init(fetch: @escaping FetchPage) { self.fetch = fetch }

    public func makeAsyncIterator() -> Iterator { Iterator(fetch: fetch) }

    /// Every object, gathered into an array.
    public func collect() async throws(StorageError) -> [ObjectInfo] {
        var all: [ObjectInfo] = []
        var iterator = makeAsyncIterator()
        while let object = try await iterator.next() { all.append(object) }
        return all
    }

    /// Walks the pages lazily: the next page is requested only when the current one is used up.
    public struct Iterator: AsyncIteratorProtocol {
        private let fetch: FetchPage
        private var buffer: [ObjectInfo] = []
        private var index = 0
        private var token: String?
        private var finished = false

        init(fetch: @escaping FetchPage) { self.fetch = fetch }

        public mutating func next() async throws(StorageError) -> ObjectInfo? {
            while index >= buffer.count {
                if finished { return nil }
                let page = try await fetch(token)
                buffer = page.objects
                index = 0
                token = page.next
                finished = page.next == nil
            }
            defer { index += 1 }
            return buffer[index]
        }

    }
}
