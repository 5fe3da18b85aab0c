#!/usr/bin/env python3
"""Creates COUNT one-byte objects PREFIXframe_NNNNN.png in BUCKET at ENDPOINT with unsigned PUTs
(moto's default server accepts them), 16 at a time. Usage: populate.py ENDPOINT BUCKET PREFIX COUNT"""
import http.client, sys, threading, urllib.parse

endpoint, bucket, prefix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
host = urllib.parse.urlsplit(endpoint)
keys = [f"{prefix}frame_{i:05d}.png" for i in range(count)]
lock = threading.Lock()

def worker():
    connection = http.client.HTTPConnection(host.hostname, host.port)
    while True:
        with lock:
            if not keys:
                return
            key = keys.pop()
        connection.request("PUT", f"/{bucket}/{urllib.parse.quote(key)}", body=b"x")
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"PUT {key}: HTTP {response.status}")

threads = [threading.Thread(target=worker) for _ in range(16)]
for thread in threads: thread.start()
for thread in threads: thread.join()
