import Foundation
import TestSupport
import Testing

@testable import Storage

/// Proxies named by the environment, read as curl reads them.
@Suite struct ProxySettingsTests {
    @Test func eachSchemeHasItsProxyAndLowerCaseComesFirst() throws {
        let settings = ProxySettings(environment: [
            "http_proxy": "proxy.corp:3128", "HTTP_PROXY": "ignored:1",
            "HTTPS_PROXY": "http://alice:p%40ss@secure.corp:8443",
        ])
        let plain = try #require(URL(string: "http://s3.example.com/b/k"))
        let secure = try #require(URL(string: "https://api.example.com/v1/tasks"))
        #expect(
            settings.server(for: plain)
                == ProxySettings.Server(host: "proxy.corp", port: 3128, user: nil, password: nil))
        #expect(
            settings.server(for: secure)
                == ProxySettings.Server(host: "secure.corp", port: 8443, user: "alice", password: "p@ss"))
    }

    @Test func noProxyHostsDomainsWildcardAndLoopbackGoDirect() throws {
        let settings = ProxySettings(environment: [
            "https_proxy": "proxy:3128", "no_proxy": " .internal, example.com:443 ,10.0.0.5",
        ])
        func proxied(_ text: String) throws -> Bool {
            let url = try #require(URL(string: text))
            return settings.server(for: url) != nil
        }
        #expect(try !proxied("https://s3.internal/b"))
        #expect(try !proxied("https://internal/b"))
        #expect(try !proxied("https://a.example.com/b"))
        #expect(try !proxied("https://example.com/b"))
        #expect(try !proxied("https://10.0.0.5/b"))
        #expect(try !proxied("https://127.0.0.1:9000/b"))
        #expect(try !proxied("https://localhost/b"))
        #expect(try proxied("https://notexample.com/b"))
        #expect(try proxied("https://s3.amazonaws.com/b"))
        #expect(try !proxied("http://s3.amazonaws.com/b"), "no http_proxy is set")
        let everything = ProxySettings(environment: ["https_proxy": "proxy:3128", "NO_PROXY": "*"])
        let aws = try #require(URL(string: "https://s3.amazonaws.com/b"))
        #expect(everything.server(for: aws) == nil)
    }
}

/// The runner through a real CONNECT proxy: the endpoint's host name exists only for the proxy, which
/// tunnels to moto, so the listing can only succeed through it.
@Suite struct ProxyTunnelTests {
    static let script = #"""
        import asyncio, sys
        upstream_host, upstream_port = sys.argv[1], int(sys.argv[2])

        def log(line):
            sys.stdout.write(line + "\n"); sys.stdout.flush()

        async def pipe(reader, writer):
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except ConnectionError:
                pass
            finally:
                writer.close()

        async def handle(client_reader, client_writer):
            head = await client_reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target = lines[0].split(" ")[:2]
            authorized = any(line.lower().startswith("proxy-authorization: basic ") for line in lines)
            log("%s %s%s" % (method, target, " with credentials" if authorized else ""))
            if method != "CONNECT":
                client_writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                await client_writer.drain()
                client_writer.close()
                return
            server_reader, server_writer = await asyncio.open_connection(upstream_host, upstream_port)
            client_writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await client_writer.drain()
            await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))

        """# + PythonServer.servingHandle

    @Test func theRunnerReachesS3ThroughTheEnvironmentsProxy() async throws {
        let store = try await Moto.store("proxied")
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await store.put("frames/shot 1.png", from: try Scratch.randomFile(size: 100, in: folder), contentType: nil)
        let moto = try Moto.endpoint()
        let proxy = try PythonServer(
            script: Self.script, arguments: [moto.host ?? "127.0.0.1", String(moto.port ?? 80)],
            name: "CONNECT proxy")
        // A name only the proxy can reach (.invalid never resolves); it starts with "localhost" because moto
        // reads the bucket from other host names' first label.
        let hidden = "http://localhost.proxy-test.invalid"
        var environment = Moto.awsEnvironment()
        for name in ["http_proxy", "https_proxy", "no_proxy", "HTTPS_PROXY", "NO_PROXY"] { environment[name] = nil }
        environment["HTTP_PROXY"] = "http://tester:secret@127.0.0.1:\(proxy.endpoint.port ?? 0)"
        let listed = try runner(
            "frames", "s3://\(store.bucket)/frames/", "--endpoint-url", hidden, environment: environment)
        environment["NO_PROXY"] = ".invalid"
        let bypassed = try runner(
            "frames", "s3://\(store.bucket)/frames/", "--endpoint-url", hidden, environment: environment)
        let log = proxy.stop()
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("shot 1.png"))
        #expect(log.contains("CONNECT localhost.proxy-test.invalid:80 with credentials"), "proxy log: \(log)")
        #expect(bypassed.status != 0, "NO_PROXY should have sent the request direct, where the host does not exist")
        #expect(bypassed.stderr.contains("localhost.proxy-test.invalid"), "\(bypassed.stderr)")
        #expect(!listed.stderr.contains("secret") && !bypassed.stderr.contains("secret"))
    }
}
