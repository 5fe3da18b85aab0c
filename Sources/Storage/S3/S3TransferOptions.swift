/// Sizes and concurrency of S3 transfers.
public struct S3TransferOptions: Sendable {
    /// Files larger than this are uploaded in parts.
    public var multipartThreshold: Int64
    /// The size of each upload part (at least 5 MiB, S3's minimum for all but the last part).
    public var partSize: Int64
    /// Downloads larger than this are fetched as concurrent ranges of this size.
    public var downloadPartSize: Int64
    /// Ranges in flight at once for downloads (they stream to the file).
    public var concurrency: Int
    /// Parts in flight at once for uploads. Each streams from the file a chunk at a time, so memory stays
    /// small whatever this is; it bounds the connections one upload opens.
    public var uploadConcurrency: Int

    /// Defaults close to the AWS CLI's (8 MiB threshold and parts), with larger download ranges.
    public init(
        multipartThreshold: Int64 = 8 << 20, partSize: Int64 = 8 << 20,
        downloadPartSize: Int64 = 16 << 20, concurrency: Int = 8, uploadConcurrency: Int = 8
    ) {
        self.multipartThreshold = multipartThreshold
        self.partSize = max(partSize, 5 << 20)
        self.downloadPartSize = max(downloadPartSize, 1 << 20)
        self.concurrency = max(concurrency, 1)
        self.uploadConcurrency = max(uploadConcurrency, 1)
    }
}
