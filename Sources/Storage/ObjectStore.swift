import Foundation
import Manifest

/// One object (or file) as a store lists it.
public struct ObjectInfo: Sendable, Equatable {
    /// The key relative to the store (S3: within the bucket; local: within the root folder).
    public let key: String
    public let size: Int64
    public let lastModified: Date?
    /// S3's ETag (quotes kept); nil for local files.
    public let etag: String?

    /// An object's description.
    public init(key: String, size: Int64, lastModified: Date?, etag: String? = nil) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.etag = etag
    }
}

/// What a create-only put did.
public enum CreateResult: Sendable, Equatable {
    /// The object did not exist and now holds the file.
    case created
    /// Something already existed at the key; it was left untouched.
    case alreadyExists
}

/// A small object's bytes with the tag a conditional write compares against: S3's ETag (quotes kept), or for a
/// local file `sha256:HEX` of its bytes. Equal tags mean the object was not replaced in between.
public struct TaggedObject: Sendable, Equatable {
    public let data: Data
    public let tag: String

    /// An object's bytes and tag.
    public init(data: Data, tag: String) {
        self.data = data
        self.tag = tag
    }
}

/// Where stages read and write: a local folder or an S3 bucket, behind one interface.
public protocol ObjectStore: Sendable {
    /// The store's root as a user writes it (`s3://bucket`, `/path`), for messages.
    var root: String { get }
    /// Where `key` of this store is, as a location: its `s3://bucket/key`, or the file's absolute path.
    func location(of key: String) -> Location
    /// The file that holds `key` when this store is a folder on this machine; nil for a remote store.
    func localPath(of key: String) -> String?
    /// Every object whose key starts with `prefix`, page after page, in key order.
    func list(prefix: String) -> ObjectListing
    /// An object's size and dates; `.notFound` when absent.
    func head(_ key: String) async throws(StorageError) -> ObjectInfo
    /// Downloads an object into `file` (replaced atomically), verifying its length.
    @discardableResult
    func get(_ key: String, to file: URL) async throws(StorageError) -> ObjectInfo
    /// Uploads `file` to `key`, replacing what is there; never leaves a partial object.
    func put(_ key: String, from file: URL, contentType: String?) async throws(StorageError)
    /// Uploads `file` only if nothing exists at `key`.
    func create(_ key: String, from file: URL, contentType: String?) async throws(StorageError) -> CreateResult
    /// Deletes an object; deleting an absent one succeeds.
    func delete(_ key: String) async throws(StorageError)
    /// A URL anyone can GET the object from until `expiry` has passed.
    func presignGet(_ key: String, expiry: Duration) async throws(StorageError) -> URL
    /// Reads the bytes of an object in `range` (which must lie within it): a frame's first and last bytes, read to
    /// check its header without downloading it. With `etag` (the ETag its listing gave), a read of an object replaced
    /// since it was listed fails instead of mixing two versions. Returns exactly `range.count` bytes or throws.
    func read(_ key: String, range: Range<Int64>, ifMatch etag: String?) async throws(StorageError) -> Data
    /// Reads a whole small object (a checkpoint record, a lock) into memory.
    func read(_ key: String) async throws(StorageError) -> Data
    /// Writes a small object in one atomic step, replacing what is there.
    func write(_ key: String, data: Data, contentType: String?) async throws(StorageError)
    /// Writes a small object only if nothing is at `key`.
    func create(_ key: String, data: Data, contentType: String?) async throws(StorageError) -> CreateResult
    /// Reads a whole small object with its tag, or nil when there is none.
    func readTagged(_ key: String) async throws(StorageError) -> TaggedObject?
    /// Replaces the small object at `key` with `data` only if its tag is still `tag` (a compare-and-swap: of two
    /// writers replacing the same tag, at most one succeeds). Returns the new object's tag, or nil when the object
    /// changed or is gone (nothing is written then). S3: a PUT with `If-Match`; locally a rename under `flock`.
    func replace(_ key: String, data: Data, ifMatch tag: String, contentType: String?) async throws(StorageError)
        -> String?
}
