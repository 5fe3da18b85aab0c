import Foundation
import TestSupport

/// A TCP proxy in front of moto that holds back every `PUT` whose path contains `marker` for `seconds` before handing
/// it on: an S3 that is slow to take the runner's checkpoint records, as moto or S3 under load can be. Everything else
/// passes at once. Python (asyncio) run as a child process, like HoldProxy: real sockets, nothing mocked. It logs
/// `held PATH` and `passed PATH T` (T: time.monotonic() when the request went on, the clock the Runway double's task
/// times use).
final class SlowPutProxy {
    static let script = #"""
        import asyncio, sys, time
        upstream_host, upstream_port, marker, hold = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode(), float(sys.argv[4])

        def log(line):
            sys.stdout.write(line + "\n"); sys.stdout.flush()

        async def handle(client_reader, client_writer):
            server_reader, server_writer = await asyncio.open_connection(upstream_host, upstream_port)

            async def up():
                try:
                    while True:
                        data = await client_reader.read(65536)
                        if not data:
                            break
                        first = data.split(b"\r\n", 1)[0]
                        held = None
                        if first.startswith(b"PUT ") and marker in first:
                            held = first.split(b" ")[1].decode(errors="replace")
                            log("held %s" % held)
                            await asyncio.sleep(hold)
                        server_writer.write(data)
                        await server_writer.drain()
                        if held is not None:
                            log("passed %s %.6f" % (held, time.monotonic()))
                except (ConnectionError, asyncio.CancelledError):
                    pass
                try:
                    server_writer.close()
                except Exception:
                    pass

            async def down():
                try:
                    while True:
                        data = await server_reader.read(65536)
                        if not data:
                            break
                        client_writer.write(data)
                        await client_writer.drain()
                except (ConnectionError, asyncio.CancelledError):
                    pass

            upward = asyncio.ensure_future(up())
            await down()
            upward.cancel()
            try:
                client_writer.close()
            except Exception:
                pass

        """# + PythonServer.servingHandle

    private let server: PythonServer

    /// Starts the proxy in front of `upstream`, holding each PUT whose path contains `marker` for `seconds`.
    init(upstream: URL, marker: String, seconds: Double) throws {
        server = try PythonServer(
            script: Self.script,
            arguments: [upstream.host ?? "127.0.0.1", String(upstream.port ?? 80), marker, String(seconds)],
            name: "slow put proxy")
    }

    var endpoint: URL { server.endpoint }

    /// The paths held so far, in the order they arrived.
    var held: [String] { server.log.filter { $0.hasPrefix("held ") }.map { String($0.dropFirst(5)) } }

    /// Stops the proxy.
    func stop() { server.stop() }
}
