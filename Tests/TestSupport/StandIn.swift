import Foundation

/// A small HTTP stand-in on 127.0.0.1 for the hostile-server tests: it logs every request it receives (method,
/// path, headers, body) and answers as its mode says: a redirect, an error that echoes the request's headers,
/// a Runway task that fails with them in its failure text. Real sockets through `PythonServer`, nothing mocked.
public final class StandIn {
    /// How it answers.
    public enum Mode {
        /// 200 with an empty body, to everything: a server that must never be contacted records it here.
        case ok
        /// `status` with `Location: location`, optionally S3's `x-amz-bucket-region` header, and an S3 error body
        /// (`PermanentRedirect` for 301, `TemporaryRedirect` otherwise) naming `endpoint` when given.
        case redirect(status: Int, location: String, regionHeader: String?, endpoint: String?)
        /// S3's error document with `code` and a `Region` element, as AWS answers a request signed for the wrong region.
        case s3Error(status: Int, code: String, region: String)
        /// A webhook receiver that answers `302 Location: /login` to every path but `/login`, which answers 200.
        case loginRedirect
        /// `status` with an error whose text repeats every request header between an escape sequence, a C1 CSI
        /// and a forged log line: as S3 XML (`Code` InvalidArgument) or as Runway's JSON (`{"error": ...}`).
        case echo(status: Int, json: Bool)
        /// Runway's API for one task: POST answers a new task `task-1`; GET of it answers FAILED with the request's
        /// headers (the key among them) in `failure`.
        case runwayFailingTask
        /// Runway's API for one task that SUCCEEDED with `output` as its link.
        case runwaySucceededTask(output: String)
    }

    /// One request received.
    public struct Request: Decodable, Sendable {
        public let method: String
        public let path: String
        public let headers: [String: String]
        public let body: String
    }

    private let server: PythonServer

    /// Starts a stand-in answering as `mode`.
    public init(_ mode: Mode) throws {
        server = try PythonServer(script: Self.script, arguments: Self.arguments(mode), name: "stand-in")
    }

    /// `http://127.0.0.1:PORT`.
    public var endpoint: URL { server.endpoint }
    /// The port.
    public var port: Int { server.endpoint.port ?? 0 }

    /// The requests received so far.
    public func requests() -> [Request] {
        server.log.compactMap { try? JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    /// Every byte received so far as one text (request lines, headers and bodies), for leak checks.
    public func received() -> String { server.log.joined(separator: "\n") }

    /// Stops the server.
    public func stop() { server.stop() }

    private static func arguments(_ mode: Mode) -> [String] {
        switch mode {
        case .ok: return ["ok"]
        case .redirect(let status, let location, let region, let endpoint):
            return ["redirect", String(status), location, region ?? "-", endpoint ?? "-"]
        case .s3Error(let status, let code, let region): return ["s3error", String(status), code, region]
        case .loginRedirect: return ["login"]
        case .echo(let status, let json): return ["echo", String(status), json ? "json" : "xml"]
        case .runwayFailingTask: return ["runway-fail"]
        case .runwaySucceededTask(let output): return ["runway-ok", output]
        }
    }

    private static let script = #"""
        import json
        import sys
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from xml.sax.saxutils import escape

        MODE, ARGS = sys.argv[1], sys.argv[2:]


        def echoed(handler):
            text = "; ".join("%s: %s" % (name, value) for name, value in handler.headers.items())
            return "You sent \x1b[31m" + text + "\x9b2J\n::error::forged line"


        def answer(handler):
            if MODE == "redirect":
                status, location, region, endpoint = int(ARGS[0]), ARGS[1], ARGS[2], ARGS[3]
                headers = [("Location", location)]
                if region != "-":
                    headers.append(("x-amz-bucket-region", region))
                body = b""
                if endpoint != "-":
                    code = "PermanentRedirect" if status == 301 else "TemporaryRedirect"
                    body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>%s</Code><Message>The bucket you are attempting "
                            "to access must be addressed using the specified endpoint.</Message><Endpoint>%s</Endpoint>"
                            "<Bucket>b</Bucket></Error>" % (code, endpoint)).encode()
                    headers.append(("Content-Type", "application/xml"))
                return status, headers, body
            if MODE == "s3error":
                body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>%s</Code><Message>the region is wrong</Message>"
                        "<Region>%s</Region></Error>" % (ARGS[1], ARGS[2])).encode()
                return int(ARGS[0]), [("Content-Type", "application/xml")], body
            if MODE == "login":
                if handler.path.startswith("/login"):
                    return 200, [], b""
                return 302, [("Location", "/login")], b""
            if MODE == "echo":
                status, kind = int(ARGS[0]), ARGS[1]
                if kind == "json":
                    return status, [("Content-Type", "application/json")], json.dumps({"error": echoed(handler)}).encode()
                body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InvalidArgument</Code><Message>%s</Message>"
                        "</Error>" % escape(echoed(handler).replace("\x1b", ""))).encode()
                return status, [("Content-Type", "application/xml")], body
            if MODE in ("runway-fail", "runway-ok"):
                if handler.command == "POST":
                    return 200, [("Content-Type", "application/json")], json.dumps({"id": "task-1"}).encode()
                if MODE == "runway-fail":
                    task = {"id": "task-1", "status": "FAILED", "failure": echoed(handler), "failureCode": "INTERNAL.BAD_OUTPUT"}
                else:
                    task = {"id": "task-1", "status": "SUCCEEDED", "output": [ARGS[0]]}
                return 200, [("Content-Type", "application/json")], json.dumps(task).encode()
            return 200, [], b""


        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_any(self):
                length = int(self.headers.get("Content-Length", "0") or 0)
                body = self.rfile.read(length) if length else b""
                print(json.dumps({"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                                  "body": body.decode("latin-1")}), flush=True)
                status, headers, payload = answer(self)
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = handle_any

            def log_message(self, *args):
                pass


        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print("port %d" % server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
