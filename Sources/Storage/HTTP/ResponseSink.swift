/// Where a successful response's body goes. Error bodies always go to memory, so they can be read.
enum ResponseSink: Sendable {
    /// Kept in memory (listings, small answers).
    case memory
    /// Written with `pwrite` to an open descriptor starting at `offset`, so concurrent ranges can share a file.
    case file(descriptor: Int32, offset: Int64, path: String)
}
