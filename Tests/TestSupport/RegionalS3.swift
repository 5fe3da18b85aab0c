import Foundation

/// A bucket that lives in one region, played on 127.0.0.1 by a small Python server (real sockets through
/// `PythonServer`): a request signed for any other region is answered as S3 answers it, `301 PermanentRedirect`
/// with `x-amz-bucket-region` (and `Location` pointing elsewhere, which must never be followed); a request signed
/// for its region is served (ListObjectsV2 of one object, HeadObject, GetObject, PutObject).
public final class RegionalS3 {
    /// How a wrong-region request is answered.
    public enum Hint: String, Sendable {
        /// With `x-amz-bucket-region` on every 301 (what S3 does).
        case header
        /// With nothing at all on object and listing requests; only a HEAD on the bucket names the region (the way
        /// SDKs fall back on when a 301 carries nothing).
        case headBucketOnly
    }

    /// One request received: its method, path and the region its signature is scoped to.
    public struct Request: Decodable, Sendable {
        public let method: String
        public let path: String
        public let region: String
    }

    private let server: PythonServer

    /// A bucket `bucket` in `region`; redirects point at `elsewhere`.
    public init(bucket: String, region: String, hint: Hint = .header, elsewhere: String = "http://127.0.0.1:9") throws {
        server = try PythonServer(
            script: Self.script, arguments: [bucket, region, hint.rawValue, elsewhere], name: "regional S3")
    }

    /// `http://127.0.0.1:PORT`.
    public var endpoint: URL { server.endpoint }

    /// The requests received so far.
    public func requests() -> [Request] {
        server.log.compactMap { try? JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    /// Stops the server.
    public func stop() { server.stop() }

    private static let script = #"""
        import json
        import re
        import sys
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        BUCKET, REGION, HINT, ELSEWHERE = sys.argv[1:5]
        STORED = {"frames/a.png": b"png"}


        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def reply(self, status, headers=(), body=b""):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def handle_any(self):
                length = int(self.headers.get("Content-Length", "0") or 0)
                data = self.rfile.read(length) if length else b""
                scope = re.search(r"Credential=[^/]+/\d+/([^/]+)/s3/", self.headers.get("Authorization", ""))
                signed_for = scope.group(1) if scope else ""
                path = self.path.split("?")[0]
                print(json.dumps({"method": self.command, "path": self.path, "region": signed_for}), flush=True)
                key = path[len("/" + BUCKET) + 1:] if path.startswith("/" + BUCKET + "/") else ""
                if signed_for != REGION:
                    headers = [("Location", ELSEWHERE + self.path)]
                    is_head_bucket = self.command == "HEAD" and key == ""
                    if HINT == "header" or is_head_bucket:
                        headers.append(("x-amz-bucket-region", REGION))
                    body = b""
                    if HINT == "header" and self.command != "HEAD":
                        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PermanentRedirect</Code><Message>The bucket "
                                "you are attempting to access must be addressed using the specified endpoint.</Message>"
                                "<Bucket>%s</Bucket></Error>" % BUCKET).encode()
                    return self.reply(301, headers, body)
                if self.command == "GET" and key == "" and "list-type=2" in self.path:
                    contents = "".join("<Contents><Key>%s</Key><Size>%d</Size><ETag>\"e\"</ETag></Contents>" % (k, len(v))
                                       for k, v in sorted(STORED.items()))
                    body = ("<ListBucketResult><Name>%s</Name><IsTruncated>false</IsTruncated>%s</ListBucketResult>"
                            % (BUCKET, contents)).encode()
                    return self.reply(200, [("Content-Type", "application/xml")], body)
                if self.command == "HEAD" and key == "":
                    return self.reply(200, [("x-amz-bucket-region", REGION)])
                if self.command == "GET" and key in STORED:
                    return self.reply(200, [("ETag", "\"e\"")], STORED[key])
                if self.command == "HEAD" and key in STORED:
                    return self.head_object(key)
                if self.command == "PUT" and key:
                    STORED[key] = data
                    return self.reply(200, [("ETag", "\"e\"")])
                return self.reply(404, [("Content-Type", "application/xml")],
                                  b"<Error><Code>NoSuchKey</Code><Message>none</Message></Error>")

            def head_object(self, key):
                self.send_response(200)
                self.send_header("ETag", "\"e\"")
                self.send_header("Content-Length", str(len(STORED[key])))
                self.end_headers()

            do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = handle_any

            def log_message(self, *args):
                pass


        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print("port %d" % server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
