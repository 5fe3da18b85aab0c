"""A webhook receiver for the tests: an app that checks the runner's signature on its own (Python's
hmac, independent of the runner's libcrypto code).

Usage: webhook_receiver.py SECRET LOG.jsonl [FAILURES]
Listens on 127.0.0.1 (a free port, printed as `port N`, the first line of stdout), answers the first
FAILURES requests (default 1) with HTTP 500 and the rest with 200, and appends one JSON line per request
to LOG: {"status": answered, "signatureValid": bool, "timestamp": str, "body": str}. Runs until killed.
"""
import hashlib
import hmac
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET, LOG = sys.argv[1].encode(), sys.argv[2]
FAILURES = int(sys.argv[3]) if len(sys.argv) > 3 else 1
lock = threading.Lock()
seen = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        timestamp = self.headers.get("X-Runner-Timestamp", "")
        expected = "sha256=" + hmac.new(SECRET, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(expected, self.headers.get("X-Runner-Signature", ""))
        with lock:
            seen += 1
            status = 500 if seen <= FAILURES else 200
            with open(LOG, "a", encoding="utf-8") as log:
                log.write(json.dumps({"status": status, "signatureValid": valid, "timestamp": timestamp,
                                      "body": body.decode("utf-8")}) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("port %d" % server.server_address[1], flush=True)
server.serve_forever()
