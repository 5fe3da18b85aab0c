"""A loopback listener for the hostile-manifest tests: it records every byte any client sends it, so a test can
assert that a secret never reached it (or that nobody connected at all).

Usage: canary_listener.py LOG MODE
Listens on 127.0.0.1 (a free port, printed as `port N`). For every connection it appends one JSON line to LOG:
{"connection": n, "received": "<the raw bytes, latin-1>"}. MODE says how it answers an HTTP request:
  refuse     403 with an empty body (an endpoint that lets nothing through)
  echo400    400 with a JSON body whose error text repeats every request header, as a careless server does
Runs until killed.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG, MODE = sys.argv[1], sys.argv[2]
lock = threading.Lock()
count = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def handle_one(self):
        global count
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        raw = self.requestline + "\r\n" + str(self.headers) + body.decode("latin-1")
        with lock:
            count += 1
            with open(LOG, "a", encoding="utf-8") as log:
                log.write(json.dumps({"connection": count, "received": raw}) + "\n")
        if MODE == "echo400":
            echoed = "; ".join("%s: %s" % (name, value) for name, value in self.headers.items())
            payload = json.dumps({"error": "Invalid request. You sent \x1b[31m" + echoed + "\x1b[0m"}).encode()
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
        else:
            payload = b""
            self.send_response(403)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = handle_one

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("port %d" % server.server_address[1], flush=True)
server.serve_forever()
