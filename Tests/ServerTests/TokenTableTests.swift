import Testing

@testable import Server

/// The tokens file: who each token may act for, and every mistake named with its line.
@Suite struct TokenTableTests {
    static let text = """
        # operators
        tok-alice-0123456789abcdef alice
        tok-team-0123456789abcdef bob,carol

        tok-admin-0123456789abcdef *
        """

    @Test func eachTokenActsForItsUsersOnly() throws {
        let table = try TokenTable(text: Self.text)
        let alice = try UserID("alice")
        let bob = try UserID("bob")
        #expect(table.caller(for: "tok-alice-0123456789abcdef") == .users([alice]))
        #expect(table.caller(for: "tok-team-0123456789abcdef")?.may(actFor: bob) == true)
        #expect(table.caller(for: "tok-team-0123456789abcdef")?.may(actFor: alice) == false)
        #expect(table.caller(for: "tok-admin-0123456789abcdef") == .everyone)
        for wrong in [
            "", "tok-alice-0123456789abcde", "tok-alice-0123456789abcdeF", "tok-alice-0123456789abcdef ", "alice",
        ] {
            #expect(table.caller(for: wrong) == nil, "\(wrong)")
        }
    }

    @Test func mistakesNameTheLineAndTheFix() {
        let cases: [(String, String)] = [
            ("short alice", "tokens:1: the token is shorter than 16"),
            ("tok-0123456789abcdef", "tokens:1: write the token, a space, then the user ids"),
            ("# none\n\ntok-0123456789abcdef ../x", "tokens:3:"),
            ("tok-0123456789abcdef alice,", "the user id is empty"),
            ("# only comments", "lists no token"),
            ("tok-0123456789abcdef alice, bob", "no space after a comma (alice,bob)"),
        ]
        for (text, expected) in cases {
            #expect {
                _ = try TokenTable(text: text)
            } throws: { error in
                String(describing: error).contains(expected)
            }
        }
    }
}

/// Settings: addresses, loopback, and the refusal to listen beyond loopback without tokens.
@Suite struct ServeSettingsTests {
    @Test func addressesParseAndLoopbackIsKnown() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:8080") == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(try ListenAddress(parsing: "[::1]:0") == ListenAddress(host: "::1", port: 0))
        #expect(try ListenAddress(parsing: "9000") == ListenAddress(host: "127.0.0.1", port: 9000))
        for loopback in ["127.0.0.1:1", "127.1.2.3:1", "[::1]:1", "localhost:1"] {
            #expect(try ListenAddress(parsing: loopback).isLoopback, "\(loopback)")
        }
        for open in ["0.0.0.0:1", "192.168.1.4:1", "[::]:1", "127.example.com:1", "example.com:1"] {
            #expect(try !ListenAddress(parsing: open).isLoopback, "\(open)")
        }
        for bad in ["127.0.0.1:", "host:70000", "[::1]8080", ":80", "127.0.0.1:x"] {
            #expect(throws: ServeError.self, "\(bad)") { try ListenAddress(parsing: bad) }
        }
    }

    @Test func flagsWinOverTheEnvironmentAndExposureNeedsTokens() throws {
        let environment = ["RUNNER_SERVE_LISTEN": "0.0.0.0:9", "RUNNER_SERVE_WAIT": "7", "RUNNER_SERVE_RATE": "3"]
        let fromEnvironment = try ServeSettings(template: "/p/serve.yaml", environment: environment)
        #expect(fromEnvironment.listen == ListenAddress(host: "0.0.0.0", port: 9))
        #expect(fromEnvironment.waitLimit == .seconds(7))
        #expect(fromEnvironment.requestsPerSecond == 3)
        #expect(fromEnvironment.database == "/p/.runner/runs.sqlite")
        #expect(throws: ServeError.self) { try fromEnvironment.checkExposure() }
        let flags = try ServeSettings(
            template: "/p/serve.yaml", listen: "127.0.0.1:1", waitSeconds: 2, environment: environment)
        #expect(flags.listen.port == 1)
        #expect(flags.waitLimit == .seconds(2))
        try flags.checkExposure()
        let tokens = try ServeSettings(template: "/p/serve.yaml", tokensFile: "/p/tokens", environment: environment)
        try tokens.checkExposure()
        #expect(throws: ServeError.self) {
            try ServeSettings(template: "t", environment: ["RUNNER_SERVE_WAIT": "soon"])
        }
    }
}
