import Manifest

extension S3Store {
    /// `s3://bucket/key`.
    public func location(of key: String) -> Location { .s3(bucket: bucket, key: key) }

    /// Nil: an S3 object is fetched before it is read.
    public func localPath(of key: String) -> String? { nil }
}
