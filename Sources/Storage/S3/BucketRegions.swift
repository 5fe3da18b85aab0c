import Foundation
import Synchronization

/// The regions S3 said buckets are in, remembered for the process: found once (from a redirect's
/// `x-amz-bucket-region`, an error's `Region`, or a HEAD on the bucket), then used by every store of the bucket.
/// Kept per endpoint, since a custom endpoint's bucket is not AWS's bucket of the same name.
public final class BucketRegions: Sendable {
    /// The process's one table.
    public static let shared = BucketRegions()

    private let table = Mutex<[String: String]>([:])

    /// The region remembered for `bucket` at `endpoint` (nil: AWS).
    public func region(of bucket: String, endpoint: URL?) -> String? {
        table.withLock { $0[Self.key(bucket, endpoint)] }
    }

    /// Remembers that `bucket` at `endpoint` is in `region`.
    public func remember(_ region: String, for bucket: String, endpoint: URL?) {
        table.withLock { $0[Self.key(bucket, endpoint)] = region }
    }

    /// Forgets every bucket (tests that need a fresh discovery).
    public func forget(_ bucket: String, endpoint: URL?) {
        _ = table.withLock { $0.removeValue(forKey: Self.key(bucket, endpoint)) }
    }

    private static func key(_ bucket: String, _ endpoint: URL?) -> String {
        (endpoint?.absoluteString ?? "aws") + " " + bucket
    }
}
