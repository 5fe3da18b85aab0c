import Foundation
import Manifest

/// Objects in one S3 (or S3-compatible) bucket, spoken to directly over HTTP with SigV4.
///
/// Every request asks the shared `CredentialCache` for credentials (so temporary ones are refreshed before they
/// expire) and `BucketRegions` for the bucket's region (so a bucket in another region is found once, the way AWS
/// SDKs find it, and then used by every store in the process).
public struct S3Store: ObjectStore {
    /// The longest object key S3 takes, in UTF-8 bytes (Amazon S3 User Guide, "Naming Amazon S3 objects").
    public static let maximumKeyBytes = 1024

    public let bucket: String
    let configuration: S3Configuration
    let credentialCache: CredentialCache
    let log: (@Sendable (String) -> Void)?
    public let options: S3TransferOptions

    /// A store for `bucket`, resolving credentials now so a missing key is reported before any transfer.
    public static func make(
        bucket: String, configuration: S3Configuration, options: S3TransferOptions = S3TransferOptions(),
        log: (@Sendable (String) -> Void)? = nil
    ) async throws(StorageError) -> S3Store {
        _ = try await configuration.credentialCache.credentials()
        return S3Store(
            bucket: bucket, configuration: configuration, cache: configuration.credentialCache, options: options,
            log: log)
    }

    /// A store with credentials already in hand (they are never refreshed).
    public init(
        bucket: String, configuration: S3Configuration, credentials: AWSCredentials,
        options: S3TransferOptions = S3TransferOptions(), log: (@Sendable (String) -> Void)? = nil
    ) {
        self.init(
            bucket: bucket, configuration: configuration, cache: CredentialCache(fixed: credentials), options: options,
            log: log)
    }

    init(
        bucket: String, configuration: S3Configuration, cache: CredentialCache, options: S3TransferOptions,
        log: (@Sendable (String) -> Void)?
    ) {
        self.bucket = bucket
        self.configuration = configuration
        credentialCache = cache
        self.options = options
        self.log = log
    }

    public var root: String { "s3://\(bucket)" }

    /// The region this bucket's requests are signed for: the one S3 told, else the configured one.
    public var region: String {
        BucketRegions.shared.region(of: bucket, endpoint: configuration.endpoint) ?? configuration.region
    }

    // MARK: - Requests

    /// What one request is made with: the credentials of the moment, the bucket's region and where that sends it,
    /// and a client and error mapping that keep these credentials out of every message.
    struct Context: Sendable {
        let credentials: AWSCredentials
        let region: String
        let addressing: S3Addressing
        let http: HTTPClient
        let errors: S3ErrorMapping
    }

    func context() async throws(StorageError) -> Context {
        let credentials = try await credentialCache.credentials()
        let region = self.region
        let addressing = configuration.addressing(bucket: bucket, region: region)
        // The credentials this store signs with are secrets too, wherever they came from (a profile, STS, a test).
        let secrets = configuration.secrets.adding(credentials.secretValues)
        let http = HTTPClient(retry: RetryPolicy(isRetryable: S3ErrorMapping.isRetryable), secrets: secrets, log: log)
        let errors = S3ErrorMapping(
            bucket: bucket,
            endpoint: Redaction.text(
                configuration.endpoint?.absoluteString ?? addressing.origin,
                secrets: secrets),
            credentials: credentials, region: region, secrets: secrets)
        return Context(credentials: credentials, region: region, addressing: addressing, http: http, errors: errors)
    }

    /// A request for `key` (nil: the bucket itself), with its URL encoded exactly as it is signed.
    func request(
        _ method: String, key: String?, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], addressing: S3Addressing
    ) throws(StorageError) -> (HTTPRequest, String) {
        let path = encodedPath(key, addressing: addressing)
        let queryText = query.isEmpty ? "" : "?" + SigV4Encoding.canonicalQuery(query)
        guard let url = URL(string: addressing.origin + path + queryText) else {
            throw .invalidResponse(location: "s3://\(bucket)/\(key ?? "")", reason: "the key does not make a valid URL")
        }
        return (HTTPRequest(method: method, url: url, headers: headers), path)
    }

    func encodedPath(_ key: String?, addressing: S3Addressing) -> String {
        guard let key else { return addressing.pathPrefix.isEmpty ? "/" : addressing.pathPrefix }
        return SigV4Encoding.s3Path(bucketPrefix: addressing.pathPrefix, key: key)
    }

    /// Signs each attempt afresh (new date), with every header the request carries at that moment.
    func signing(path: String, query: [(name: String, value: String)], payloadHash: String, context: Context)
        -> HTTPClient.Prepare
    {
        let signer = SigV4Signer(credentials: context.credentials, region: context.region)
        let host = context.addressing.host
        return { (request: inout HTTPRequest) throws(HTTPError) in
            // A retry re-signs: drop the previous attempt's signature headers, then sign every header the
            // request now carries (Range, If-Match, Content-Type...) except Content-Length, which
            // libcurl may set itself, plus the host.
            let signatureHeaders: Set<String> = [
                "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token",
            ]
            request.headers.removeAll { signatureHeaders.contains($0.name.lowercased()) }
            let toSign =
                request.headers.filter { !["content-length", "host"].contains($0.name.lowercased()) } + [("host", host)]
            let signable = SigV4Request(
                method: request.method, encodedPath: path, query: query,
                headers: toSign, payloadHash: payloadHash)
            do throws(DigestError) {
                request.headers += try signer.signingHeaders(for: signable, at: Date())
            } catch {
                throw .preparation(error.description)
            }
        }
    }

    /// How one exchange is carried out once the request is built and its signing prepared.
    typealias Perform =
        @Sendable (HTTPRequest, HTTPClient, @escaping HTTPClient.Prepare) async throws(HTTPError) -> HTTPResponse

    /// Builds, signs and sends one request through `perform`; when S3 answers that the bucket is in another region,
    /// remembers that region for the bucket and sends the request once more, signed for it (to the same endpoint,
    /// or on AWS to that region's S3 endpoint: never to where a redirect points).
    func exchange(
        _ method: String, key: String?, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], payloadHash: String,
        perform: Perform
    ) async throws(StorageError) -> S3Answer {
        let operation = Self.operation(method, key: key, query: query)
        var context = try await self.context()
        var attempt = 0
        while true {
            attempt += 1
            let (request, path) = try self.request(
                method, key: key, query: query, headers: headers, addressing: context.addressing)
            let response: HTTPResponse
            do throws(HTTPError) {
                response = try await perform(
                    request, context.http, signing(path: path, query: query, payloadHash: payloadHash, context: context)
                )
            } catch {
                throw storageError(error, key: key)
            }
            if attempt == 1, let region = await regionAnswer(response, context: context), region != context.region {
                BucketRegions.shared.remember(region, for: bucket, endpoint: configuration.endpoint)
                log?("bucket \(bucket) is in region \(region), not \(context.region): using \(region) from now on")
                context = try await self.context()
                continue
            }
            return S3Answer(response: response, context: context, operation: operation)
        }
    }

    /// Sends a signed request with an in-memory body; maps transport failures to `StorageError`.
    func send(
        _ method: String, key: String?, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: HTTPRequestBody = .empty,
        payloadHash: String = SigV4Signer.emptyPayloadHash
    ) async throws(StorageError) -> S3Answer {
        try await exchange(method, key: key, query: query, headers: headers, payloadHash: payloadHash) {
            (request: HTTPRequest, http: HTTPClient, prepare: @escaping HTTPClient.Prepare) async throws(HTTPError)
                -> HTTPResponse in
            try await http.send(request, body: body, prepare: prepare)
        }
    }

    func storageError(_ error: HTTPError, key: String?) -> StorageError {
        let location = "s3://\(bucket)/\(key ?? "")"
        switch error {
        case .file(let path, let reason): return .local(path: path, reason: reason)
        case .protocolViolation(_, let reason): return .invalidResponse(location: location, reason: reason)
        default: return .transport(location: location, reason: error.description)
        }
    }

    /// The S3 API operation a request is, for messages.
    static func operation(_ method: String, key: String?, query: [(name: String, value: String)]) -> String {
        let names = Set(query.map(\.name))
        switch (method, key == nil) {
        case ("GET", true): return names.contains("list-type") ? "ListObjectsV2" : "GetBucket"
        case ("GET", false): return "GetObject"
        case ("HEAD", true): return "HeadBucket"
        case ("HEAD", false): return "HeadObject"
        case ("PUT", true): return "CreateBucket"
        case ("PUT", false): return names.contains("partNumber") ? "UploadPart" : "PutObject"
        case ("POST", _): return names.contains("uploads") ? "CreateMultipartUpload" : "CompleteMultipartUpload"
        case ("DELETE", _): return names.contains("uploadId") ? "AbortMultipartUpload" : "DeleteObject"
        default: return method
        }
    }

    // MARK: - ObjectStore

    public func head(_ key: String) async throws(StorageError) -> ObjectInfo {
        let response = try await send("HEAD", key: key)
        guard response.isSuccess else { throw response.error(key: key) }
        guard let size = response.header("content-length").flatMap(Int64.init) else {
            throw .invalidResponse(location: "s3://\(bucket)/\(key)", reason: "no Content-Length in the HEAD answer")
        }
        return ObjectInfo(
            key: key, size: size, lastModified: response.header("last-modified").flatMap(HTTPDates.rfc1123),
            etag: response.header("etag"))
    }

    public func delete(_ key: String) async throws(StorageError) {
        let response = try await send("DELETE", key: key)
        guard response.isSuccess || response.status == 404 && XMLTree.parse(response.body)?.text("Code") == "NoSuchKey"
        else {
            throw response.error(key: key)
        }
    }

    public func presignGet(_ key: String, expiry: Duration) async throws(StorageError) -> URL {
        let seconds = Int(min(max(expiry.components.seconds, 1), 604_800))
        let context = try await self.context()
        let path = encodedPath(key, addressing: context.addressing)
        let signer = SigV4Signer(credentials: context.credentials, region: context.region)
        let request = SigV4Request(
            method: "GET", encodedPath: path, headers: [("host", context.addressing.host)],
            payloadHash: SigV4Signer.unsignedPayload)
        let query: [(name: String, value: String)]
        do throws(DigestError) {
            query = try signer.presignedQuery(for: request, at: Date(), expiresIn: seconds)
        } catch {
            throw .crypto(error.description)
        }
        // The signature goes last, outside the sorted part, as the AWS tools print it.
        let signed = SigV4Encoding.canonicalQuery(Array(query.dropLast()))
        let signature = query.last.map { "&X-Amz-Signature=\($0.value)" } ?? ""
        guard let url = URL(string: context.addressing.origin + path + "?" + signed + signature) else {
            throw .invalidResponse(location: "s3://\(bucket)/\(key)", reason: "the key does not make a valid URL")
        }
        return url
    }
}

/// One S3 answer with what it was asked with, so its error names the operation, the credentials and the region.
struct S3Answer: Sendable {
    let response: HTTPResponse
    let context: S3Store.Context
    let operation: String

    var isSuccess: Bool { response.isSuccess }
    var status: Int { response.status }
    var body: Data { response.body }
    func header(_ name: String) -> String? { response.header(name) }

    /// The error this (non-2xx) answer means for `key` (nil for the bucket).
    func error(key: String?) -> StorageError {
        context.errors.error(for: response, key: key, operation: operation)
    }
}
