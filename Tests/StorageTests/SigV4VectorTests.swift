import Foundation
import Manifest
import Testing

@testable import Storage

/// Published vectors: the AWS SigV4 test suite (service "service", 2015-08-30T12:36:00Z) and the
/// S3 documentation's examples (AKIAIOSFODNN7EXAMPLE, 2013-05-24). Canonical request, string to
/// sign and signature are checked separately, so a failure says which step is wrong.
@Suite struct SigV4VectorTests {
    static let suiteSigner = SigV4Signer(
        credentials: AWSCredentials(
            accessKeyID: "AKIDEXAMPLE", secretAccessKey: Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            origin: "vector"),
        region: "us-east-1", service: "service")
    static let suiteTime = SigV4Timestamp(Date(timeIntervalSince1970: 1_440_938_160))  // 20150830T123600Z

    static let s3Signer = SigV4Signer(
        credentials: AWSCredentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            origin: "vector"),
        region: "us-east-1", service: "s3")
    static let s3Time = SigV4Timestamp(Date(timeIntervalSince1970: 1_369_353_600))  // 20130524T000000Z

    func suiteRequest(path: String = "/", query: [(name: String, value: String)] = []) -> SigV4Request {
        SigV4Request(
            method: "GET", encodedPath: path, query: query,
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
            payloadHash: SigV4Signer.emptyPayloadHash)
    }

    @Test func timestampsAreUTC() {
        #expect(Self.suiteTime.dateTime == "20150830T123600Z")
        #expect(Self.suiteTime.day == "20150830")
        #expect(Self.s3Time.dateTime == "20130524T000000Z")
    }

    @Test func getVanilla() throws {
        let canonical = Self.suiteSigner.canonicalRequest(suiteRequest())
        #expect(
            canonical.text
                == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
        let sts = try Self.suiteSigner.stringToSign(canonicalRequest: canonical.text, time: Self.suiteTime)
        #expect(
            sts
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        )
        #expect(
            Self.suiteSigner.signature(stringToSign: sts, time: Self.suiteTime)
                == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func getVanillaQueryRepeatedKeySortsByValue() throws {
        // GET /?Param1=value2&Param1=Value1: a repeated name is ordered by value, byte-wise ('V' < 'v').
        let canonical = Self.suiteSigner.canonicalRequest(
            suiteRequest(query: [("Param1", "value2"), ("Param1", "Value1")]))
        #expect(
            canonical.text
                == "GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
        let sts = try Self.suiteSigner.stringToSign(canonicalRequest: canonical.text, time: Self.suiteTime)
        #expect(sts.hasSuffix("\n704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89"))
        #expect(
            Self.suiteSigner.signature(stringToSign: sts, time: Self.suiteTime)
                == "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1")
    }

    @Test func getVanillaQueryOrderKeyCase() throws {
        // GET /?Param2=value2&Param1=value1: names sorted.
        let canonical = Self.suiteSigner.canonicalRequest(
            suiteRequest(query: [("Param2", "value2"), ("Param1", "value1")]))
        #expect(
            canonical.text.split(separator: "\n", omittingEmptySubsequences: false)[2] == "Param1=value1&Param2=value2")
        let sts = try Self.suiteSigner.stringToSign(canonicalRequest: canonical.text, time: Self.suiteTime)
        #expect(
            Self.suiteSigner.signature(stringToSign: sts, time: Self.suiteTime)
                == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    @Test func getUnreservedPathStaysAsIs() throws {
        let unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        #expect(SigV4Encoding.encode(unreserved) == unreserved)
        let canonical = Self.suiteSigner.canonicalRequest(
            suiteRequest(path: "/" + SigV4Encoding.encode(unreserved, keepingSlashes: true)))
        let sts = try Self.suiteSigner.stringToSign(canonicalRequest: canonical.text, time: Self.suiteTime)
        #expect(
            Self.suiteSigner.signature(stringToSign: sts, time: Self.suiteTime)
                == "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")
    }

    @Test func s3GetObjectWithRangeExample() throws {
        let request = SigV4Request(
            method: "GET", encodedPath: "/test.txt",
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", SigV4Signer.emptyPayloadHash), ("x-amz-date", "20130524T000000Z"),
            ],
            payloadHash: SigV4Signer.emptyPayloadHash)
        let canonical = Self.s3Signer.canonicalRequest(request)
        #expect(
            canonical.text
                == "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
        let sts = try Self.s3Signer.stringToSign(canonicalRequest: canonical.text, time: Self.s3Time)
        #expect(
            sts
                == "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
        )
        #expect(
            Self.s3Signer.signature(stringToSign: sts, time: Self.s3Time)
                == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func s3SigningHeadersProduceTheExampleAuthorization() throws {
        let request = SigV4Request(
            method: "GET", encodedPath: "/test.txt",
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
            payloadHash: SigV4Signer.emptyPayloadHash)
        let headers = try Self.s3Signer.signingHeaders(for: request, at: Date(timeIntervalSince1970: 1_369_353_600))
        let authorization = headers.first { $0.name == "Authorization" }?.value
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
    }

    @Test func s3PresignedURLExample() throws {
        let request = SigV4Request(
            method: "GET", encodedPath: "/test.txt", headers: [("host", "examplebucket.s3.amazonaws.com")],
            payloadHash: SigV4Signer.unsignedPayload)
        let query = try Self.s3Signer.presignedQuery(
            for: request, at: Date(timeIntervalSince1970: 1_369_353_600), expiresIn: 86_400)
        #expect(
            query.first { $0.name == "X-Amz-Credential" }?.value
                == "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request")
        #expect(query.last?.name == "X-Amz-Signature")
        #expect(query.last?.value == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    @Test func headerValuesAreTrimmedAndInnerSpacesCollapsed() {
        #expect(SigV4Signer.trimmed("  a   b \t c  ") == "a b c")
    }

    @Test func encodingCoversTheCharactersS3KeysUse() {
        #expect(
            SigV4Encoding.encode("a b+c%d=e&f(g)h/é", keepingSlashes: true) == "a%20b%2Bc%25d%3De%26f%28g%29h/%C3%A9")
        #expect(SigV4Encoding.encode("a/b") == "a%2Fb")
        #expect(SigV4Encoding.canonicalQuery([("uploads", "")]) == "uploads=")
    }
}
