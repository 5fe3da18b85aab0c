import Foundation
import TestSupport

/// A TCP proxy in front of the Runway double that holds back the answer to one `POST /v1/image_to_video`
/// (the `target`-th, counting from 1) for `seconds`: the task exists and is paid for, but its answer is still
/// on its way to the runner. Python (asyncio) run as a child process, like StorageTests' DropProxy: real
/// sockets, nothing mocked. It logs one line per event: `post N` (the N-th submission's request went
/// through), `holding N` (its answer arrived from the double and is held), `released N` (handed on),
/// `client gone N` (the runner had closed the connection by then).
final class HoldProxy {
    static let script = #"""
        import asyncio, sys
        upstream_host, upstream_port, target, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
        posts = {"count": 0}

        def log(line):
            sys.stdout.write(line + "\n"); sys.stdout.flush()

        async def handle(client_reader, client_writer):
            server_reader, server_writer = await asyncio.open_connection(upstream_host, upstream_port)
            connection = {"post": None, "held": False, "client_closed": False}

            async def up():
                try:
                    while True:
                        data = await client_reader.read(65536)
                        if not data:
                            break
                        for line in data.split(b"\r\n"):
                            if line.startswith(b"POST /v1/image_to_video"):
                                posts["count"] += 1
                                connection["post"] = posts["count"]
                                log("post %d" % posts["count"])
                            elif line[:4] in (b"GET ", b"PUT ", b"HEAD", b"DELE") or line.startswith(b"POST "):
                                connection["post"] = None
                        server_writer.write(data)
                        await server_writer.drain()
                except (ConnectionError, asyncio.CancelledError):
                    pass
                connection["client_closed"] = True

            async def down():
                number = None
                try:
                    while True:
                        data = await server_reader.read(65536)
                        if not data:
                            break
                        if connection["post"] == target and not connection["held"]:
                            connection["held"] = True
                            number = target
                            log("holding %d" % target)
                            await asyncio.sleep(hold)
                        if connection["client_closed"]:
                            if number is not None:
                                log("client gone %d" % number)
                                number = None
                            break
                        try:
                            client_writer.write(data)
                            await client_writer.drain()
                        except (ConnectionError, RuntimeError):
                            if number is not None:
                                log("client gone %d" % number)
                                number = None
                            break
                        if number is not None:
                            log("released %d" % number)
                            number = None
                except (ConnectionError, asyncio.CancelledError):
                    pass
                if number is not None:
                    log("client gone %d" % number)

            upward = asyncio.ensure_future(up())
            await down()
            upward.cancel()
            for writer in (client_writer, server_writer):
                try:
                    writer.close()
                except Exception:
                    pass

        """# + PythonServer.servingHandle

    private let server: PythonServer

    /// Starts the proxy in front of `upstream`, holding the answer to its `target`-th submission for `seconds`.
    init(upstream: URL, target: Int, seconds: Double) throws {
        server = try PythonServer(
            script: Self.script,
            arguments: [
                upstream.host ?? "127.0.0.1", String(upstream.port ?? 80),
                String(target), String(seconds),
            ], name: "hold proxy")
    }

    var endpoint: URL { server.endpoint }

    /// What it has logged so far.
    var log: [String] { server.log }

    /// Stops the proxy.
    func stop() { server.stop() }
}
