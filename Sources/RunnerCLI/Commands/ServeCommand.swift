import ArgumentParser
import Foundation
import Manifest
import Server

/// `runner serve --template FILE`: the original web API and a runs API, over the engine.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the original web API (/api/process_s3_video_workflow) and a runs API over HTTP.",
        discussion: """
            Each request fills the template's vars (user, session, and prompt when it declares one) and sets its \
            generate stages' ratio and concurrency; the run goes through the same engine as apply, with the same \
            checkpoints, so a rerun of a session pays for nothing twice. Runs and their events are kept in SQLite \
            (--state); a restarted server lists them and resumes the unfinished ones. docs/serve.md has the API.

            Without --tokens the server listens on loopback only and any caller acts for any user; a \
            non-loopback --listen without --tokens is refused. A tokens file has a line per token: the token, then \
            the user ids it may act for (comma-separated), or *.

            Settings also come from the environment: RUNNER_SERVE_LISTEN, RUNNER_SERVE_TOKENS, \
            RUNNER_SERVE_STATE, RUNNER_SERVE_WAIT, RUNNER_SERVE_MAX_BODY, RUNNER_SERVE_RATE (flags win), and \
            RUNNER_SERVE_KEEPALIVE (seconds between the comment lines of an idle event stream; default 15).

            Examples:
              runner serve --template pipeline.yaml
              runner serve --template pipeline.yaml --listen 0.0.0.0:8080 --tokens tokens.txt
            """
    )

    @Option(help: "The manifest each request runs; it declares vars user and session.")
    var template: String

    @Option(help: "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks one).")
    var listen: String?

    @Option(help: "The bearer tokens file: a line per token, then user ids (comma-separated) or *.")
    var tokens: String?

    @Option(help: "The runs' SQLite database (default: .runner/runs.sqlite beside the template).")
    var state: String?

    @Option(help: "Seconds generate_videos waits for its run before answering with the run's id (default 300).")
    var wait: Double?

    @Option(help: "The largest request body taken, in bytes (default 65536).")
    var maxBody: Int?

    @Option(help: "Requests per second a client address may make on average (default 50; 0: no limit).")
    var rate: Double?

    @Option(
        name: .customLong("trust-host"),
        help: ArgumentHelp(
            "Let an endpoint the template names on this host receive credentials (repeatable; also "
                + "\(TrustedHosts.environmentVariable)).", valueName: "host[:port]"))
    var trustedHosts: [String] = []

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if !trustedHosts.isEmpty {
            let existing = environment[TrustedHosts.environmentVariable].map { [$0] } ?? []
            environment[TrustedHosts.environmentVariable] = (existing + trustedHosts).joined(separator: ",")
        }
        let server: RunnerServer
        do {
            let settings = try ServeSettings(
                template: template, listen: listen, tokensFile: tokens, database: state, waitSeconds: wait,
                maxBodyBytes: maxBody, requestsPerSecond: rate, environment: environment)
            // Refused here, before a line says it listens where it will not (make checks again).
            try settings.checkExposure()
            if settings.tokensFile == nil {
                StandardError.write(
                    "runner serve: no --tokens, so listening on loopback only (\(settings.listen)); any caller on "
                        + "this machine may act for any user\n")
            }
            let host = settings.listen.description.hasPrefix("[") ? "[\(settings.listen.host)]" : settings.listen.host
            server = try await RunnerServer.make(settings) { port in
                // One line on standard output, for scripts that start the server on port 0.
                FileHandle.standardOutput.write(Data("runner serve: listening on http://\(host):\(port)\n".utf8))
            }
        } catch {
            throw StandardError.fail("runner serve: \(error)", status: ExitStatus.invalidInput)
        }
        try await server.run(stoppingOnSignals: true)
    }
}
