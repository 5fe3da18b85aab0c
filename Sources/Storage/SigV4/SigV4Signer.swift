import Foundation

/// AWS Signature Version 4: canonical request, string to sign, signing key and signature.
///
/// Each step is exposed so tests can check them separately against the published vectors.
public struct SigV4Signer: Sendable {
    /// The hash of an empty payload, which GET, HEAD and DELETE sign.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// What a request sends instead of a payload hash when the body is not hashed (bodies streamed from files).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    public let credentials: AWSCredentials
    public let region: String
    public let service: String

    /// A signer for one service in one region.
    public init(credentials: AWSCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// `YYYYMMDD/region/service/aws4_request`.
    public func scope(_ time: SigV4Timestamp) -> String {
        "\(time.day)/\(region)/\(service)/aws4_request"
    }

    /// The canonical request and the `;`-joined list of signed header names.
    public func canonicalRequest(_ request: SigV4Request) -> (text: String, signedHeaders: String) {
        var merged: [String: [String]] = [:]
        for (name, value) in request.headers {
            merged[name.lowercased(), default: []].append(Self.trimmed(value))
        }
        let names = merged.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let headerLines = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let text = [
            request.method,
            request.encodedPath.isEmpty ? "/" : request.encodedPath,
            SigV4Encoding.canonicalQuery(request.query),
            headerLines,
            signedHeaders,
            request.payloadHash,
        ].joined(separator: "\n")
        return (text, signedHeaders)
    }

    /// The string to sign for a canonical request.
    public func stringToSign(canonicalRequest: String, time: SigV4Timestamp) throws(DigestError) -> String {
        let hash = try SHA256Digest.hex(of: Data(canonicalRequest.utf8))
        return ["AWS4-HMAC-SHA256", time.dateTime, scope(time), hash].joined(separator: "\n")
    }

    /// The hex signature of a string to sign, with the key derived for the day, region and service.
    public func signature(stringToSign: String, time: SigV4Timestamp) -> String {
        let secret = Array(("AWS4" + credentials.secretAccessKey.revealed()).utf8)
        let dateKey = HMACSHA256.mac(key: secret, message: time.day)
        let regionKey = HMACSHA256.mac(key: dateKey, message: region)
        let serviceKey = HMACSHA256.mac(key: regionKey, message: service)
        let signingKey = HMACSHA256.mac(key: serviceKey, message: "aws4_request")
        return Hex.encode(HMACSHA256.mac(key: signingKey, message: stringToSign))
    }

    /// The headers to add to a request so it is signed: `x-amz-date`, `x-amz-content-sha256`,
    /// `x-amz-security-token` when the credentials are temporary, and `Authorization`.
    ///
    /// `request.headers` must already hold `host` and any other header to sign; the added `x-amz-*`
    /// headers are signed too.
    public func signingHeaders(for request: SigV4Request, at date: Date) throws(DigestError) -> [(
        name: String, value: String
    )] {
        let time = SigV4Timestamp(date)
        var added: [(name: String, value: String)] = [
            ("x-amz-date", time.dateTime),
            ("x-amz-content-sha256", request.payloadHash),
        ]
        if let token = credentials.sessionToken, !token.isEmpty {
            added.append(("x-amz-security-token", token.revealed()))
        }
        var toSign = request
        toSign.headers += added
        let canonical = canonicalRequest(toSign)
        let sts = try stringToSign(canonicalRequest: canonical.text, time: time)
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(time)), "
            + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature(stringToSign: sts, time: time))"
        return added + [("Authorization", authorization)]
    }

    /// The query items of a presigned URL (`X-Amz-*`, signature last), signing only the `host` header.
    ///
    /// `request.query` holds the URL's own items; the result is those plus the signing items.
    public func presignedQuery(for request: SigV4Request, at date: Date, expiresIn seconds: Int)
        throws(DigestError) -> [(name: String, value: String)]
    {
        let time = SigV4Timestamp(date)
        var items = request.query
        items.append(("X-Amz-Algorithm", "AWS4-HMAC-SHA256"))
        items.append(("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(time))"))
        items.append(("X-Amz-Date", time.dateTime))
        items.append(("X-Amz-Expires", String(seconds)))
        if let token = credentials.sessionToken, !token.isEmpty {
            items.append(("X-Amz-Security-Token", token.revealed()))
        }
        let hostOnly = request.headers.filter { $0.name.lowercased() == "host" }
        items.append(("X-Amz-SignedHeaders", "host"))
        var toSign = request
        toSign.query = items
        toSign.headers = hostOnly
        toSign.payloadHash = Self.unsignedPayload
        let canonical = canonicalRequest(toSign)
        let sts = try stringToSign(canonicalRequest: canonical.text, time: time)
        items.append(("X-Amz-Signature", signature(stringToSign: sts, time: time)))
        return items
    }

    /// A header value as SigV4 canonicalizes it: outer spaces removed, inner runs of spaces made one.
    static func trimmed(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
