import Foundation
import Manifest
import TestSupport
import Testing

@testable import Storage

/// Servers are reachable, not trusted (docs/security.md): a redirect is a region answer, never a hop, and what a
/// server says reaches messages scrubbed of the credentials and with its control characters escaped.
@Suite struct UntrustedServerTests {
    static let secretKey = "CANARY-aws-secret-7f3c9e"
    static let keyID = "CANARYKEYID7F3C9E"
    static let token = "CANARY-session-token-7f3c9e"
    static let credentials = AWSCredentials(
        accessKeyID: keyID, secretAccessKey: Secret(secretKey), sessionToken: Secret(token),
        origin: "the test")

    static func store(at endpoint: URL, region: String = "us-east-1") -> S3Store {
        let configuration = S3Configuration(
            region: region, endpoint: endpoint, credentials: CredentialChain([]), secrets: .none)
        return S3Store(bucket: "b", configuration: configuration, credentials: credentials)
    }

    /// Every request the store makes, each answering with the error it got.
    static func everyRequest(of store: S3Store) async throws -> [StorageError] {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Scratch.randomFile(size: 1024, in: folder)
        var errors: [StorageError] = []
        func note(_ work: () async throws -> Void) async {
            do {
                try await work()
                Issue.record("a request succeeded")
            } catch let error as StorageError {
                errors.append(error)
            } catch {
                Issue.record("not a StorageError: \(error)")
            }
        }
        await note { _ = try await store.head("frames/a.png") }
        await note { _ = try await store.list(prefix: "frames/").collect() }
        await note { _ = try await store.get("frames/a.png", to: folder.appendingPathComponent("copy")) }
        await note { try await store.put("clips/a.mp4", from: file, contentType: nil) }
        return errors
    }

    /// S3's region answer is used: the request is signed again for the region named, to the same endpoint (never to
    /// the redirect's target); a server that sends it away once more gets a message naming the region and what to check.
    @Test func aPermanentRedirectIsAskedAgainInItsRegionAndIsNotFollowed() async throws {
        let elsewhere = try StandIn(.ok)
        defer { elsewhere.stop() }
        let redirector = try StandIn(
            .redirect(
                status: 301, location: "\(elsewhere.endpoint.absoluteString)/b/frames/a.png?X-Amz-Signature=x",
                regionHeader: "eu-west-3", endpoint: "b.s3.eu-west-3.amazonaws.com"))
        defer { redirector.stop() }
        let errors = try await Self.everyRequest(of: Self.store(at: redirector.endpoint))
        #expect(errors.count == 4)
        for error in errors {
            guard case .redirected(let bucket, let status, _, let region, _, let signedFor) = error else {
                Issue.record("not a redirect error: \(error)")
                continue
            }
            #expect(bucket == "b" && status == 301 && region == "eu-west-3" && signedFor == "eu-west-3")
            #expect(error.description.contains("still answered HTTP 301"), "\(error.description)")
            #expect(error.description.contains("region eu-west-3") && error.description.contains("AWS_ENDPOINT_URL_S3"))
        }
        let scopes = redirector.requests().compactMap { $0.headers["Authorization"] }
        #expect(scopes.contains { $0.contains("/eu-west-3/s3/aws4_request") }, "\(scopes)")
        #expect(elsewhere.requests().isEmpty, "a signed request followed the redirect: \(elsewhere.received())")
    }

    @Test func aTemporaryRedirectIsARegionAnswerToo() async throws {
        let elsewhere = try StandIn(.ok)
        defer { elsewhere.stop() }
        // No region header: the region comes from the body's Endpoint where there is a body (not for HEAD).
        let redirector = try StandIn(
            .redirect(
                status: 307, location: "\(elsewhere.endpoint.absoluteString)/b/x?token=\(Self.token)",
                regionHeader: nil, endpoint: "b.s3.ap-south-1.amazonaws.com"))
        defer { redirector.stop() }
        let store = Self.store(at: redirector.endpoint)
        do {
            _ = try await store.list(prefix: "").collect()
            Issue.record("the listing succeeded")
        } catch {
            #expect(error.description.contains("region ap-south-1"), "\(error.description)")
            #expect(error.description.contains("TemporaryRedirect"), "\(error.description)")
        }
        do {
            _ = try await store.head("frames/a.png")
            Issue.record("the HEAD succeeded")
        } catch {
            // No body, no region: the message says it is a redirect, where it pointed (without its query), and what to set.
            #expect(
                error.description.contains(
                    "answered HTTP 307, a redirect to \(elsewhere.endpoint.absoluteString)/b/x:"),
                "\(error.description)")
            #expect(error.description.contains("set `s3.region` in the manifest or AWS_REGION"), "\(error.description)")
            #expect(!error.description.contains(Self.token))
        }
        #expect(elsewhere.requests().isEmpty, "a signed request followed the redirect: \(elsewhere.received())")
    }

    @Test func aRequestSignedForTheWrongRegionIsSignedAgainForTheRightOne() async throws {
        let server = try StandIn(.s3Error(status: 400, code: "AuthorizationHeaderMalformed", region: "eu-central-1"))
        defer { server.stop() }
        do {
            _ = try await Self.store(at: server.endpoint).list(prefix: "").collect()
            Issue.record("the listing succeeded")
        } catch {
            // This stand-in refuses every region: the second refusal is reported, naming the region it named.
            #expect(
                error.description.hasPrefix(
                    "the server for bucket b still answered HTTP 400 AuthorizationHeaderMalformed "
                        + "when asked in region eu-central-1"), "\(error.description)")
        }
        let scopes = server.requests().compactMap { $0.headers["Authorization"] }
        #expect(scopes.count == 2 && scopes[1].contains("/eu-central-1/s3/aws4_request"), "\(scopes)")
    }

    @Test func anErrorThatEchoesTheRequestCarriesNoCredentialAndNoControlCharacter() async throws {
        let server = try StandIn(.echo(status: 400, json: false))
        defer { server.stop() }
        let errors = try await Self.everyRequest(of: Self.store(at: server.endpoint))
        // The stand-in did receive the credentials, so the checks below can fail.
        #expect(server.received().contains(Self.keyID) && server.received().contains(Self.token))
        #expect(errors.count == 4)
        for error in errors {
            let texts = [error.description, "\(error)"] + Self.payload(of: error)
            for text in texts {
                #expect(
                    !text.contains(Self.keyID) && !text.contains(Self.token) && !text.contains(Self.secretKey),
                    "\(text)")
                #expect(!InertText.hasControlCharacters(text), "\(text)")
            }
        }
        // Where the server's message made it into the error (not for HEAD, which has no body), it was scrubbed, not lost.
        let messages = errors.flatMap(Self.payload(of:)).joined()
        #expect(
            messages.contains("<redacted>") && messages.contains("\\u{9B}2J")
                && messages.contains("\\n::error::forged"), "\(messages)")
    }

    @Test func urlsInMessagesLoseUserInformationAndTheWholeQuery() throws {
        let url = try #require(
            URL(string: "https://user:pw@host:9/clips/a.mp4?_jwt=CANARY-jwt-7f3c9e&X-Amz-Signature=abc#frag"))
        #expect(Redaction.url(url) == "https://host:9/clips/a.mp4")
        let endpoint = try #require(URL(string: "http://127.0.0.1:9/\(Self.secretKey)/b/k"))
        #expect(
            Redaction.url(endpoint, secrets: SecretValues(environment: ["AWS_SECRET_ACCESS_KEY": Self.secretKey]))
                == "http://127.0.0.1:9/<redacted>/b/k")
    }

    /// The strings a storage error carries.
    static func payload(of error: StorageError) -> [String] {
        switch error {
        case .server(let location, _, let code, let message): return [location, code, message]
        case .s3Refused(let operation, let location, _, let code, let message, let fix):
            return [operation, location, code, message, fix]
        case .transport(let location, let reason): return [location, reason]
        case .invalidResponse(let location, let reason): return [location, reason]
        default: return []
        }
    }
}
