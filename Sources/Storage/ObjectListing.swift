/// The objects under a prefix as an async sequence, fetched a page at a time as it is iterated.
public struct ObjectListing: AsyncSequence, Sendable {
    public typealias Element = ObjectInfo
    public typealias Failure = StorageError

    /// One page: its objects and the token for the next page (nil on the last).
    public struct Page: Sendable {
        /// The next page's token as known before the page is parsed, so it can be requested at once.
        let early: String?
        /// Parses the page: its objects and the next page's token (which decides if `early` was right).
        let parse: @Sendable () throws(StorageError) -> (objects: [ObjectInfo], next: String?)

        /// A page already parsed.
        public init(objects: [ObjectInfo], next: String?) {
            early = next
            parse = { () throws(StorageError) in (objects, next) }
        }

        /// A page still to parse, whose next token was found early.
        init(
            early: String?, parse: @escaping @Sendable () throws(StorageError) -> (objects: [ObjectInfo], next: String?)
        ) {
            self.early = early
            self.parse = parse
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

    /// Walks the pages, requesting the next one as soon as its token is known, so the server works on
    /// page N + 1 while this side parses page N (listing is otherwise a chain of round trips). At most
    /// one page is requested ahead; if parsing shows the early token was wrong, that request is dropped.
    public struct Iterator: AsyncIteratorProtocol {
        private typealias Fetched = Result<Page, StorageError>
        private let fetch: FetchPage
        private var buffer: [ObjectInfo] = []
        private var index = 0
        private var token: String?
        private var ahead: (token: String, task: Task<Fetched, Never>)?
        private var finished = false

        init(fetch: @escaping FetchPage) { self.fetch = fetch }

        public mutating func next() async throws(StorageError) -> ObjectInfo? {
            while index >= buffer.count {
                if finished { return nil }
                let page = try await page(after: token)
                if let early = page.early {
                    let fetch = self.fetch
                    ahead = (
                        early,
                        Task { () async -> Fetched in
                            do throws(StorageError) { return .success(try await fetch(early)) } catch {
                                return .failure(error)
                            }
                        }
                    )
                }
                let parsed = try page.parse()
                buffer = parsed.objects
                index = 0
                token = parsed.next
                finished = parsed.next == nil
                if let early = ahead?.token, early != parsed.next {
                    ahead?.task.cancel()
                    ahead = nil
                }
            }
            defer { index += 1 }
            return buffer[index]
        }

        private mutating func page(after token: String?) async throws(StorageError) -> Page {
            if let ahead, let token, ahead.token == token {
                self.ahead = nil
                return try await ahead.task.value.get()
            }
            return try await fetch(token)
        }
    }
}
