import Foundation
import Manifest
import TestSupport
import Testing

@testable import Storage

/// The runner's signatures against botocore's (the AWS CLI's signer, a fully independent
/// implementation: its own URL encoding, query sorting and key derivation) for random keys and
/// queries at a fixed time.
@Suite struct BotocoreSignerTests {
    static let script = #"""
        import datetime, json, sys
        import botocore.auth
        from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        from botocore.utils import percent_encode

        cases = json.load(sys.stdin)
        fixed = datetime.datetime(2024, 3, 9, 17, 45, 31)
        botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed
        out = []
        for case in cases:
            credentials = Credentials(case["keyID"], case["secret"], case.get("token"))
            url = case["origin"] + "/" + case["bucket"] + "/" + percent_encode(case["key"], safe="/~")
            params = {name: value for name, value in case["query"]}
            headers = dict(case["headers"])
            request = AWSRequest(method=case["method"], url=url, params=params, headers=headers)
            request.context["payload_signing_enabled"] = True
            S3SigV4Auth(credentials, "s3", case["region"]).add_auth(request)
            presigned = AWSRequest(method="GET", url=url, params={}, headers={})
            S3SigV4QueryAuth(credentials, "s3", case["region"], expires=case["expires"]).add_auth(presigned)
            prepared = presigned.prepare()
            out.append({"authorization": request.headers["Authorization"], "presigned": prepared.url})
        json.dump(out, sys.stdout)
        """#

    struct Case: Codable {
        var method: String
        var origin: String
        var bucket: String
        var key: String
        var query: [[String]]
        var headers: [[String]]
        var keyID: String
        var secret: String
        var token: String?
        var region: String
        var expires: Int
    }

    struct Answer: Codable {
        var authorization: String
        var presigned: String
    }

    static func randomText(_ alphabet: [String], length: ClosedRange<Int>) -> String {
        (0..<Int.random(in: length)).map { _ in alphabet.randomElement() ?? "a" }.joined()
    }

    @Test func signaturesMatchBotocoreForRandomKeysAndQueries() throws {
        let keyAlphabet = [
            "a", "Z", "0", "-", "_", ".", "~", " ", "+", "%", "=", "&", "(", ")", "/", "é", "日", "!", "*", "'", ",",
            ";", ":", "@", "$",
        ]
        let cases: [Case] = (0..<60).map { index in
            Case(
                method: ["GET", "PUT", "DELETE", "HEAD"][index % 4],
                origin: "http://127.0.0.1:9000",
                bucket: "bucket-\(index)",
                key: Self.randomText(keyAlphabet, length: 1...40),
                query: (0..<Int.random(in: 0...4)).map { _ in
                    [
                        Self.randomText(["a", "B", "-", "_", " ", "=", "&", "é"], length: 1...8),
                        Self.randomText(["x", "Y", "1", " ", "+", "/", "%", "="], length: 0...12),
                    ]
                },
                headers: index % 3 == 0 ? [["Range", "bytes=0-\(index)"], ["Content-Type", "image/png"]] : [],
                keyID: "AKID" + Self.randomText(["A", "B", "7"], length: 16...16),
                secret: Self.randomText(["a", "B", "/", "+", "9"], length: 40...40),
                token: index % 5 == 0 ? Self.randomText(["t", "/", "+", "="], length: 20...60) : nil,
                region: ["us-east-1", "eu-west-3", "ap-southeast-2"][index % 3],
                expires: [1, 3600, 604_800][index % 3])
        }
        // Query names must be unique for botocore's dict-based params.
        let unique = cases.map { item -> Case in
            var copy = item
            var seen = Set<String>()
            copy.query = item.query.filter { seen.insert($0[0]).inserted }
            return copy
        }
        let python = try Scratch.which("python3")
        let result = try Scratch.run(python, ["-c", Self.script], input: try JSONEncoder().encode(unique))
        guard result.status == 0 else { throw TestSetupError(description: "botocore failed: \(result.errorOutput)") }
        let answers = try JSONDecoder().decode([Answer].self, from: Data(result.output.utf8))
        #expect(answers.count == unique.count)
        let time = Date(timeIntervalSince1970: 1_710_006_331)  // 2024-03-09T17:45:31Z
        for (item, answer) in zip(unique, answers) {
            let credentials = AWSCredentials(
                accessKeyID: item.keyID, secretAccessKey: Secret(item.secret),
                sessionToken: item.token.map(Secret.init), origin: "test")
            let signer = SigV4Signer(credentials: credentials, region: item.region)
            let path = SigV4Encoding.s3Path(bucketPrefix: "/" + item.bucket, key: item.key)
            let request = SigV4Request(
                method: item.method, encodedPath: path,
                query: item.query.map { ($0[0], $0[1]) },
                headers: [("host", "127.0.0.1:9000")] + item.headers.map { ($0[0], $0[1]) },
                payloadHash: SigV4Signer.emptyPayloadHash)
            let headers = try signer.signingHeaders(for: request, at: time)
            let authorization = headers.first { $0.name == "Authorization" }?.value
            #expect(authorization == answer.authorization, "key \(item.key.debugDescription), query \(item.query)")

            let presign = SigV4Request(
                method: "GET", encodedPath: path, headers: [("host", "127.0.0.1:9000")],
                payloadHash: SigV4Signer.unsignedPayload)
            let query = try signer.presignedQuery(for: presign, at: time, expiresIn: item.expires)
            // Every query item, signature included, as botocore's presigner writes it.
            let ours = Set(query.map { "\(SigV4Encoding.encode($0.name))=\(SigV4Encoding.encode($0.value))" })
            let theirs = Set(
                answer.presigned.split(separator: "?", maxSplits: 1).last?.split(separator: "&").map(String.init) ?? [])
            #expect(ours == theirs, "presigned key \(item.key.debugDescription)")
            #expect(answer.presigned.hasPrefix("http://127.0.0.1:9000" + path + "?"))
        }
    }
}
