import Foundation
import Manifest

/// Objects in one S3 (or S3-compatible) bucket, spoken to directly over HTTP with SigV4.
public struct S3Store: ObjectStore {
    public let bucket: String
    let configuration: S3Configuration
    let credentials: AWSCredentials
    let addressing: S3Addressing
    let http: HTTPClient
    let errors: S3ErrorMapping
    public let options: S3TransferOptions

    /// A store for `bucket`, resolving credentials now so a missing key is reported before any transfer.
    public static func make(bucket: String, configuration: S3Configuration, options: S3TransferOptions = S3TransferOptions(),
                            log: (@Sendable (String) -> Void)? = nil) async throws(StorageError) -> S3Store {
        let credentials = try await configuration.credentials.resolve()
        return S3Store(bucket: bucket, configuration: configuration, credentials: credentials, options: options, log: log)
    }

    /// A store with credentials already in hand.
    public init(bucket: String, configuration: S3Configuration, credentials: AWSCredentials,
                options: S3TransferOptions = S3TransferOptions(), log: (@Sendable (String) -> Void)? = nil) {
        self.bucket = bucket
        self.configuration = configuration
        self.credentials = credentials
        self.options = options
        addressing = configuration.addressing(bucket: bucket)
        // The credentials this store signs with are secrets too, wherever they came from (a profile, a test).
        let secrets = configuration.secrets.adding([credentials.secretAccessKey, Secret(credentials.accessKeyID)]
                                                   + (credentials.sessionToken.map { [$0] } ?? []))
        http = HTTPClient(retry: RetryPolicy(isRetryable: S3ErrorMapping.isRetryable), secrets: secrets, log: log)
        errors = S3ErrorMapping(bucket: bucket, endpoint: Redaction.text(configuration.endpoint?.absoluteString ?? addressing.origin,
                                                                         secrets: secrets),
                                credentials: credentials, region: configuration.region, secrets: secrets)
    }

    public var root: String { "s3://\(bucket)" }

    // MARK: - Requests

    /// A request for `key` (nil: the bucket itself), with its URL encoded exactly as it is signed.
    func request(_ method: String, key: String?, query: [(name: String, value: String)] = [],
                 headers: [(name: String, value: String)] = []) throws(StorageError) -> (HTTPRequest, String) {
        let path = encodedPath(key)
        let queryText = query.isEmpty ? "" : "?" + SigV4Encoding.canonicalQuery(query)
        guard let url = URL(string: addressing.origin + path + queryText) else {
            throw .invalidResponse(location: "s3://\(bucket)/\(key ?? "")", reason: "the key does not make a valid URL")
        }
        return (HTTPRequest(method: method, url: url, headers: headers), path)
    }

    func encodedPath(_ key: String?) -> String {
        guard let key else { return addressing.pathPrefix.isEmpty ? "/" : addressing.pathPrefix }
        return SigV4Encoding.s3Path(bucketPrefix: addressing.pathPrefix, key: key)
    }

    /// Signs each attempt afresh (new date), with every header the request carries at that moment.
    func signing(path: String, query: [(name: String, value: String)], payloadHash: String) -> HTTPClient.Prepare {
        let signer = SigV4Signer(credentials: credentials, region: configuration.region)
        let host = addressing.host
        return { (request: inout HTTPRequest) throws(HTTPError) in
            // A retry re-signs: drop the previous attempt's signature headers, then sign every header the
            // request now carries (Range, If-Match, Content-Type...) except Content-Length, which
            // libcurl may set itself, plus the host.
            let signatureHeaders: Set<String> = ["authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]
            request.headers.removeAll { signatureHeaders.contains($0.name.lowercased()) }
            let toSign = request.headers.filter { !["content-length", "host"].contains($0.name.lowercased()) } + [("host", host)]
            let signable = SigV4Request(method: request.method, encodedPath: path, query: query,
                                        headers: toSign, payloadHash: payloadHash)
            do throws(DigestError) {
                request.headers += try signer.signingHeaders(for: signable, at: Date())
            } catch {
                throw .preparation(error.description)
            }
        }
    }

    /// Sends a signed request with an in-memory body; maps transport failures to `StorageError`.
    func send(_ method: String, key: String?, query: [(name: String, value: String)] = [],
              headers: [(name: String, value: String)] = [], body: HTTPRequestBody = .empty,
              payloadHash: String = SigV4Signer.emptyPayloadHash) async throws(StorageError) -> HTTPResponse {
        let (request, path) = try self.request(method, key: key, query: query, headers: headers)
        do throws(HTTPError) {
            return try await http.send(request, body: body, prepare: signing(path: path, query: query, payloadHash: payloadHash))
        } catch {
            throw storageError(error, key: key)
        }
    }

    func storageError(_ error: HTTPError, key: String?) -> StorageError {
        let location = "s3://\(bucket)/\(key ?? "")"
        switch error {
        case let .file(path, reason): return .local(path: path, reason: reason)
        case let .protocolViolation(_, reason): return .invalidResponse(location: location, reason: reason)
        default: return .transport(location: location, reason: error.description)
        }
    }

    // MARK: - ObjectStore

    public func head(_ key: String) async throws(StorageError) -> ObjectInfo {
        let response = try await send("HEAD", key: key)
        guard response.isSuccess else { throw errors.error(for: response, key: key) }
        guard let size = response.header("content-length").flatMap(Int64.init) else {
            throw .invalidResponse(location: "s3://\(bucket)/\(key)", reason: "no Content-Length in the HEAD answer")
        }
        return ObjectInfo(key: key, size: size, lastModified: response.header("last-modified").flatMap(HTTPDates.rfc1123),
                          etag: response.header("etag"))
    }

    public func delete(_ key: String) async throws(StorageError) {
        let response = try await send("DELETE", key: key)
        guard response.isSuccess || response.status == 404 && XMLTree.parse(response.body)?.text("Code") == "NoSuchKey" else {
            throw errors.error(for: response, key: key)
        }
    }

    public func presignGet(_ key: String, expiry: Duration) async throws(StorageError) -> URL {
        let seconds = Int(min(max(expiry.components.seconds, 1), 604_800))
        let path = encodedPath(key)
        let signer = SigV4Signer(credentials: credentials, region: configuration.region)
        let request = SigV4Request(method: "GET", encodedPath: path, headers: [("host", addressing.host)],
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
        guard let url = URL(string: addressing.origin + path + "?" + signed + signature) else {
            throw .invalidResponse(location: "s3://\(bucket)/\(key)", reason: "the key does not make a valid URL")
        }
        return url
    }
}
