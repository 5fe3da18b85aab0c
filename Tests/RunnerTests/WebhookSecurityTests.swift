import Foundation
import Manifest
import TestSupport
import Testing

@testable import Runner
@testable import Stages

/// The webhook receiver gets the record and nothing more (docs/security.md): delivery follows no redirect (a 3xx is
/// a failed delivery that the next apply sends again, and the signed body never reaches another origin), and a
/// target on a link-local or metadata address is refused unless the trusted side allows its host.
@Suite(.serialized)
struct WebhookSecurityTests {
    static let secret = "CANARY-hook-secret-7f3c9e"

    /// The local quickstart shape, its publish stage posting the record to `webhook`.
    static func manifest(webhook: String) -> String {
        """
        version: 1
        name: hook-test
        providers:
          draft: { type: kenburns, concurrency: 2 }
        stages:
          frames: { type: frames, from: ./frames/ }
          clips:  { type: generate, needs: [frames], provider: draft, ratio: "160:90", duration: 1, seed: 3, to: ./out/clips/ }
          film:   { type: merge, needs: [clips] }
          publish:
            type: publish
            needs: [film]
            to: ./out/film.mp4
            record: ./out/record.json
            webhook: "\(webhook)"
            webhookSecret: ${env:HOOK_SECRET}
        """
    }

    /// Applies twice; returns both outputs. Each apply must try the webhook, since none was delivered.
    static func applyTwice(webhook: String) throws -> [ProcessOutput] {
        var project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        project.environment["HOOK_SECRET"] = secret
        try project.write(manifest: manifest(webhook: webhook))
        return [try project.runner("apply", project.manifest), try project.runner("apply", project.manifest)]
    }

    @Test func aRedirectToALoginPageIsNotADeliveryAndIsSentAgain() throws {
        let receiver = try StandIn(.loginRedirect)
        defer { receiver.stop() }
        let runs = try Self.applyTwice(webhook: receiver.endpoint.absoluteString + "/hooks/video?token=abc")
        let requests = receiver.requests()
        // Repro 7 of issue 12: the 302 to /login (which answers 200) counted as delivered and was never sent again.
        #expect(
            requests.map(\.path) == ["/hooks/video?token=abc", "/hooks/video?token=abc"], "\(requests.map(\.path))")
        for run in runs {
            #expect(run.status != 0, "a redirected webhook counted as delivered: \(run.stdout)\(run.stderr)")
            #expect(
                (run.stdout + run.stderr).contains(
                    "answered HTTP 302, a redirect to /login, which the runner does not follow"),
                "\(run.stdout)\(run.stderr)")
            #expect(!(run.stdout + run.stderr).contains(Self.secret))
            #expect(!(run.stdout + run.stderr).contains("token=abc"))
        }
    }

    @Test func aTemporaryRedirectToAnotherOriginSendsNothingThere() throws {
        let elsewhere = try StandIn(.ok)
        defer { elsewhere.stop() }
        let receiver = try StandIn(
            .redirect(
                status: 307, location: elsewhere.endpoint.absoluteString + "/collect",
                regionHeader: nil, endpoint: nil))
        defer { receiver.stop() }
        let runs = try Self.applyTwice(webhook: receiver.endpoint.absoluteString + "/hooks/video")
        #expect(receiver.requests().filter { $0.method == "POST" }.count == 2, "the next apply did not send it again")
        #expect(receiver.requests().allSatisfy { $0.headers["X-Runner-Signature"]?.hasPrefix("sha256=") == true })
        #expect(elsewhere.requests().isEmpty, "the signed record went to another origin: \(elsewhere.received())")
        for run in runs { #expect(run.status != 0) }
    }

    @Test(arguments: [
        "http://169.254.169.254/latest/meta-data/", "http://0xa9fea9fe/hook", "http://[fe80::1]:8080/hook",
        "http://metadata.google.internal/computeMetadata/v1/", "http://[::ffff:169.254.169.254]/hook",
    ])
    func aMetadataTargetIsRefusedUnlessAllowed(target: String) async throws {
        let url = try #require(URL(string: target))
        let host = try #require(url.host)
        do {
            try await Webhook(url: url, secret: Secret(Self.secret), attempts: 1, trustedHosts: TrustedHosts.none)
                .deliver(Data("{}".utf8))
            Issue.record("\(target) was delivered")
        } catch let error as WebhookError {
            guard case .forbiddenTarget = error else {
                Issue.record("not refused: \(error)")
                return
            }
            #expect(error.description.contains("link-local or cloud metadata address"), "\(error.description)")
            #expect(
                error.description.contains("RUNNER_TRUSTED_HOSTS=") && error.description.contains("--trust-host"),
                "\(error.description)")
        }
        // Allowed by the trusted side, it is no longer refused as a target (the check passes; nothing is sent here).
        await #expect(throws: Never.self) {
            _ = try await WebhookTarget.check(
                url, display: target, trustedHosts: TrustedHosts(environment: [:], flags: [host]))
        }
    }

    @Test func aNameIsJudgedByTheAddressesItResolvesTo() throws {
        // inet_aton forms resolve to the metadata address itself.
        #expect(WebhookTarget.resolve("2852039166").contains { $0.isForbidden })
        #expect(WebhookTarget.resolve("127.0.0.1").allSatisfy { !$0.isForbidden })
        #expect(WebhookTarget.resolve("127.0.0.1").map(\.text) == ["127.0.0.1"])
        #expect(WebhookTarget.resolve("no-such-host.invalid").isEmpty)
    }

    @Test func anHTTPTargetIsPinnedToTheAddressThatWasChecked() async throws {
        let receiver = try StandIn(.ok)
        defer { receiver.stop() }
        let url = try #require(URL(string: "http://localhost:\(receiver.port)/hooks/video"))
        let target = try await WebhookTarget.check(url, display: "hook", trustedHosts: .none)
        #expect(target.url.host == "127.0.0.1" && target.hostHeader == "localhost:\(receiver.port)")
        try await Webhook(url: url, secret: Secret(Self.secret), attempts: 1, trustedHosts: .none).deliver(
            Data("{}".utf8))
        let requests = receiver.requests()
        #expect(
            requests.count == 1 && requests.first?.headers["Host"] == "localhost:\(receiver.port)",
            "\(requests.map(\.headers))")
    }
}
