"""Stand-ins for where credentials come from on AWS's machines, on 127.0.0.1: the container credentials endpoint,
the EC2 instance metadata service (IMDSv2) and the SSO portal. Used by Tests/TestSupport/CredentialStandIn.swift
and bench/storage/credentials.sh. Prints "port N" first, then one JSON line per request received.

  credential_standin.py container TOKEN KEY_ID SECRET SESSION_TOKEN
  credential_standin.py imds LIFETIME KEY_ID SECRET SESSION_TOKEN LATER_KEY_ID LATER_SECRET LATER_SESSION_TOKEN
  credential_standin.py sso BEARER_TOKEN KEY_ID SECRET SESSION_TOKEN
"""
import datetime
import json
import secrets
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE, ARGS = sys.argv[1], sys.argv[2:]
STATE = {"tokens": set(), "served": 0}


def iso(seconds):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def answer(handler):
    headers = {name.lower(): value for name, value in handler.headers.items()}
    if MODE == "container":
        token, key_id, secret, session = ARGS
        if headers.get("authorization") != token:
            return 401, {"message": "bad token"}
        return 200, {"AccessKeyId": key_id, "SecretAccessKey": secret, "Token": session,
                     "Expiration": iso(3600)}
    if MODE == "imds":
        lifetime, first_id, first_secret, first_session, later_id, later_secret, later_session = ARGS
        if handler.command == "PUT" and handler.path == "/latest/api/token":
            if "x-aws-ec2-metadata-token-ttl-seconds" not in headers:
                return 400, None
            token = "CANARY-imds-token-" + secrets.token_hex(8)
            STATE["tokens"].add(token)
            return 200, token
        if headers.get("x-aws-ec2-metadata-token") not in STATE["tokens"]:
            return 401, None
        if handler.path == "/latest/meta-data/iam/security-credentials/":
            return 200, "runner-role"
        if handler.path == "/latest/meta-data/iam/security-credentials/runner-role":
            STATE["served"] += 1
            if STATE["served"] == 1:
                key_id, secret, session, seconds = first_id, first_secret, first_session, int(lifetime)
            else:
                key_id, secret, session, seconds = later_id, later_secret, later_session, 3600
            return 200, {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": key_id, "SecretAccessKey": secret,
                         "Token": session, "Expiration": iso(seconds)}
        return 404, None
    if MODE == "sso":
        token, key_id, secret, session = ARGS
        if headers.get("x-amz-sso_bearer_token") != token:
            return 401, {"message": "Session token not found or invalid"}
        expiration = int((datetime.datetime.now(datetime.timezone.utc).timestamp() + 3600) * 1000)
        return 200, {"roleCredentials": {"accessKeyId": key_id, "secretAccessKey": secret,
                                         "sessionToken": session, "expiration": expiration}}
    return 404, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def handle_any(self):
        length = int(self.headers.get("Content-Length", "0") or 0)
        if length:
            self.rfile.read(length)
        print(json.dumps({"method": self.command, "path": self.path, "headers": dict(self.headers.items())}), flush=True)
        status, payload = answer(self)
        body = b"" if payload is None else (payload.encode() if isinstance(payload, str) else json.dumps(payload).encode())
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = handle_any

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("port %d" % server.server_address[1], flush=True)
server.serve_forever()
