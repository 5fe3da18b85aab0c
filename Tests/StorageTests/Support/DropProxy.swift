import Foundation
import TestSupport

/// A small TCP proxy in front of moto that cuts connections, to test resumes and failed uploads, or
/// answers the first requests with an S3 error, to test retries.
/// It is Python (asyncio) run as a child process: real sockets, real drops, nothing mocked.
final class DropProxy {
    enum Mode: String {
        /// Cut the first connection once it has sent the client `after` bytes of response.
        case cutFirstDownload = "download"
        /// Cut every connection once the client has sent `after` bytes (uploads can never finish).
        case cutEveryUpload = "upload"
        /// Answer the first `after` requests with the S3 error given as `fault`, then pass requests through.
        case failFirstRequests = "fault"
        /// Refuse a presigned request once its X-Amz-Date + X-Amz-Expires has passed, as S3 does (moto
        /// ignores X-Amz-Expires); pass everything else through.
        case enforceExpiry = "expiry"
    }

    static let script = #"""
        import asyncio, datetime, sys, urllib.parse
        upstream_host, upstream_port, mode, after = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
        fault_status, fault_code = (int(sys.argv[5]), sys.argv[6]) if mode == "fault" else (0, "")
        state = {"cut": False, "faults": 0}

        def log(line):
            sys.stdout.write(line + "\n"); sys.stdout.flush()

        async def pipe(reader, writer, limit, on_request):
            sent = 0
            try:
                while True:
                    data = await reader.read(65536)
                    if not data:
                        break
                    if on_request:
                        for line in data.split(b"\r\n"):
                            if line[:4] in (b"GET ", b"PUT ", b"POST", b"HEAD", b"DELE"):
                                log("request " + line.decode("latin-1"))
                            if line.lower().startswith(b"range:"):
                                log("range " + line[6:].strip().decode("latin-1"))
                    if limit is not None and sent + len(data) > limit:
                        writer.write(data[: max(limit - sent, 0)])
                        await writer.drain()
                        log("cut")
                        return True
                    writer.write(data)
                    await writer.drain()
                    sent += len(data)
            except (ConnectionError, asyncio.CancelledError):
                pass
            return False

        async def answer_with_fault(client_reader, client_writer):
            head = await client_reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await client_reader.readexactly(length)
            log("fault " + head.split(b"\r\n", 1)[0].decode("latin-1"))
            body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>%s</Code><Message>injected by the test proxy</Message>"
                    "<RequestId>test</RequestId></Error>" % fault_code).encode()
            client_writer.write(b"HTTP/1.1 %d Injected\r\nContent-Type: application/xml\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                                % (fault_status, len(body)) + body)
            await client_writer.drain()
            client_writer.close()

        def expired(head):
            """S3's rule for presigned requests: refused once X-Amz-Date + X-Amz-Expires is past."""
            target = head.split(b" ", 2)[1].decode("latin-1")
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(target).query)
            if "X-Amz-Expires" not in query or "X-Amz-Date" not in query:
                return None
            signed = datetime.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
            ends = signed + datetime.timedelta(seconds=int(query["X-Amz-Expires"][0]))
            now = datetime.datetime.now(datetime.timezone.utc)
            return (ends, now) if now > ends else None

        async def refuse_expired(client_writer, ends, now):
            stamp = lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")
            body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message>"
                    "<Expires>%s</Expires><ServerTime>%s</ServerTime><RequestId>test</RequestId></Error>" % (stamp(ends), stamp(now))).encode()
            client_writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                                % len(body) + body)
            await client_writer.drain()
            client_writer.close()

        async def handle(client_reader, client_writer):
            if mode == "fault" and state["faults"] < after:
                state["faults"] += 1
                await answer_with_fault(client_reader, client_writer)
                return
            head = b""
            if mode == "expiry":
                head = await client_reader.readuntil(b"\r\n\r\n")
                refusal = expired(head)
                if refusal:
                    log("expired " + head.split(b"\r\n", 1)[0].decode("latin-1"))
                    await refuse_expired(client_writer, *refusal)
                    return
            server_reader, server_writer = await asyncio.open_connection(upstream_host, upstream_port)
            if head:
                server_writer.write(head)
            down_limit = up_limit = None
            if mode == "download" and not state["cut"]:
                down_limit = after
            if mode == "upload":
                up_limit = after
            up = asyncio.ensure_future(pipe(client_reader, server_writer, up_limit, True))
            down = asyncio.ensure_future(pipe(server_reader, client_writer, down_limit, False))
            done, pending = await asyncio.wait([up, down], return_when=asyncio.FIRST_COMPLETED)
            if any(task.result() for task in done):
                if mode == "download":
                    state["cut"] = True
                for task in pending:
                    task.cancel()
                for writer in (client_writer, server_writer):
                    transport = writer.transport
                    transport.abort()
                return
            await asyncio.gather(*pending, return_exceptions=True)
            for writer in (client_writer, server_writer):
                writer.close()

        """# + PythonServer.servingHandle

    private let server: PythonServer

    /// Starts the proxy in front of `upstream`, cutting per `mode` after `after` bytes (or, failing the
    /// first `after` requests with `fault`'s HTTP status and S3 error code).
    init(upstream: URL, mode: Mode, after: Int, fault: (status: Int, code: String)? = nil) throws {
        server = try PythonServer(
            script: Self.script,
            arguments: [upstream.host ?? "127.0.0.1", String(upstream.port ?? 80), mode.rawValue, String(after)]
                + (fault.map { [String($0.status), $0.code] } ?? []),
            name: "drop proxy")
    }

    var endpoint: URL { server.endpoint }

    /// Stops the proxy and returns what it logged (request lines, Range values, cuts, faults).
    func stop() -> [String] { server.stop() }
}
