import Foundation
import Manifest
import Storage
import TestSupport
import Testing

@testable import Runway

/// Runway's answers are untrusted text (docs/security.md): an error body, a task's failure text or an output link
/// reaches messages, checkpoint records and events without the key, without tokens and with control characters
/// escaped; a redirect is not followed with the key.
@Suite struct RunwayServerTextTests {
    static let key = "key_CANARY-runway-7f3c9e0123456789"

    static func client(_ base: URL) -> RunwayClient {
        RunwayClient(
            configuration: .init(
                baseURL: base, apiKey: Secret(key), keySource: "${env:RUNWAYML_API_SECRET}",
                pollInterval: .milliseconds(50), timeout: .seconds(20), postAttempts: 1,
                retryBaseDelay: .milliseconds(10), secrets: .none))
    }

    /// The strings a Runway error carries, its description included.
    static func texts(of error: RunwayError) -> [String] {
        var texts = [error.description, "\(error)"]
        switch error {
        case .badRequest(let message), .unexpectedStatus(_, let message), .malformedResponse(let message),
            .transport(let message):
            texts.append(message)
        case .taskFailed(let id, let code, let message): texts += [id, code, message]
        case .badOutput(let id, let reason): texts += [id, reason]
        default: break
        }
        return texts
    }

    static func expectInert(_ error: RunwayError, sourceLocation: SourceLocation = #_sourceLocation) {
        for text in texts(of: error) {
            #expect(!text.contains(key), "the key leaked: \(text)", sourceLocation: sourceLocation)
            #expect(
                !InertText.hasControlCharacters(text), "control characters: \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func aBadRequestThatEchoesTheHeadersCarriesNoKey() async throws {
        let server = try StandIn(.echo(status: 400, json: true))
        defer { server.stop() }
        do {
            _ = try await Self.client(server.endpoint).submit(generation())
            Issue.record("the submission succeeded")
        } catch {
            #expect(
                server.received().contains("Bearer \(Self.key)"),
                "the stand-in did not get the key, so this test proves nothing")
            guard case .badRequest(let message) = error else {
                Issue.record("not a bad request: \(error)")
                return
            }
            Self.expectInert(error)
            // Scrubbed where it entered, not dropped: the rest of Runway's text is still there to read.
            #expect(
                message.contains("Authorization: Bearer <redacted>") && message.contains("\\u{1B}[31m"), "\(message)")
        }
    }

    @Test func aTaskFailingWithTheKeyInItsFailureTextCarriesNoKey() async throws {
        let server = try StandIn(.runwayFailingTask)
        defer { server.stop() }
        let client = Self.client(server.endpoint)
        let submission = try await client.submit(generation())
        do {
            _ = try await client.waitForTask(submission.id)
            Issue.record("the task succeeded")
        } catch {
            guard case .taskFailed(_, let code, let message) = error else {
                Issue.record("not a task failure: \(error)")
                return
            }
            #expect(code == "INTERNAL.BAD_OUTPUT")
            #expect(message.contains("<redacted>") && message.contains("\\n::error::forged"), "\(message)")
            Self.expectInert(error)
        }
    }

    @Test func anOutputLinksTokenStaysOutOfTheError() async throws {
        // A port nobody listens on: the download fails and its error names the link.
        let closed = try StandIn(.ok)
        let port = closed.port
        closed.stop()
        let token = "CANARY-jwt-7f3c9e"
        let task = RunwayTask(
            id: "task-1", status: .succeeded, output: ["http://127.0.0.1:\(port)/clips/a.mp4?_jwt=\(token)"])
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try await Self.client(URL(string: "http://127.0.0.1:\(port)")!).downloadOutput(
                of: task, to: folder.appendingPathComponent("a.mp4"))
            Issue.record("the download succeeded")
        } catch {
            for text in Self.texts(of: error) { #expect(!text.contains(token), "\(text)") }
            #expect(error.description.contains("http://127.0.0.1:\(port)/clips/a.mp4"), "\(error.description)")
        }
    }

    @Test func aRedirectFromTheAPIIsNotFollowedWithTheKey() async throws {
        let elsewhere = try StandIn(.ok)
        defer { elsewhere.stop() }
        let redirector = try StandIn(
            .redirect(
                status: 307, location: "\(elsewhere.endpoint.absoluteString)/v1/tasks/task-1",
                regionHeader: nil, endpoint: nil))
        defer { redirector.stop() }
        let client = Self.client(redirector.endpoint)
        do {
            _ = try await client.task("task-1")
            Issue.record("the redirect was followed")
        } catch {
            guard case .unexpectedStatus(307, _) = error else {
                Issue.record("not a 307: \(error)")
                return
            }
            #expect(error.description.contains("a redirect, which the runner does not follow"), "\(error.description)")
        }
        do {
            _ = try await client.submit(generation())
            Issue.record("the redirect was followed")
        } catch {
            guard case .unexpectedStatus(307, _) = error else {
                Issue.record("not a 307: \(error)")
                return
            }
        }
        #expect(redirector.requests().count == 2)
        #expect(elsewhere.requests().isEmpty, "the key followed a redirect: \(elsewhere.received())")
    }
}
