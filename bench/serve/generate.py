#!/usr/bin/env python3
"""50 (or N) concurrent `generate_videos` calls for bench/serve/run.sh, one per user, each waiting for its run as
the original app did. Standard library only. Prints one JSON object: the makespan (first request sent to last
answer read) with its two ends (time.monotonic, the clock the Runway double's task times use), each call's seconds,
and the answers' counts, so run.sh can check every run made all its clips and lay out the timeline.

    generate.py BASE_URL TOKEN USER_PREFIX COUNT [RATIO]
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

base, token, prefix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ratio = sys.argv[5] if len(sys.argv) > 5 else "1280:720"
address = urllib.parse.urlsplit(base)
results = [None] * count
barrier = threading.Barrier(count)


def call(index):
    user = f"{prefix}{index + 1:02d}"
    body = json.dumps({"action": "generate_videos", "userId": user, "sessionId": f"bench-{user}",
                       "frameAspectRatio": ratio, "prompt": "bench", "batchSize": 5})
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=3600)
    barrier.wait()
    started = time.monotonic()
    try:
        connection.request("POST", "/api/process_s3_video_workflow", body=body, headers=headers)
        response = connection.getresponse()
        answer = json.loads(response.read() or b"{}")
        status = response.status
    except Exception as error:  # reported, and run.sh fails on it
        answer, status = {"error": str(error)}, 0
    results[index] = {"user": user, "status": status, "started": started, "ended": time.monotonic(),
                      "answer": answer}


threads = [threading.Thread(target=call, args=(i,)) for i in range(count)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

first = min(r["started"] for r in results)
last = max(r["ended"] for r in results)
data = [r["answer"].get("data") or {} for r in results]
print(json.dumps({
    "makespan": last - first,
    "first": first,
    "last": last,
    "calls": [round(r["ended"] - r["started"], 3) for r in results],
    "ok": sum(1 for r in results if r["status"] == 200 and r["answer"].get("success") is True),
    "totalFrames": sum(d.get("totalFrames", 0) for d in data),
    "completedCount": sum(d.get("completedCount", 0) for d in data),
    "urls": sum(len(d.get("generatedVideoUrls", [])) for d in data),
    "failures": [{"user": r["user"], "status": r["status"], "answer": r["answer"]} for r in results
                 if not (r["status"] == 200 and r["answer"].get("success") is True)][:3],
}))
