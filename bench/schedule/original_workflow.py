"""The original web app's way of generating clips, as the peer of bench/schedule: fixed batches of 3
image_to_video POSTs, wait until every task of the batch has finished (polling), download each output,
sleep (15 s in the original, scaled to the double's time), then the next batch.

Standard library only. Reads RUNWAYML_BASE_URL and RUNWAYML_API_SECRET like the SDKs.
Usage: original_workflow.py OUT_DIR BATCH SLEEP_S POLL_S FRAME...
Prints one line: `original: N clips, W s wall` (W measured from the first POST to the last download)."""
import base64, json, mimetypes, os, sys, time, urllib.request

base_url = os.environ["RUNWAYML_BASE_URL"].rstrip("/")
key = os.environ["RUNWAYML_API_SECRET"]
out_dir, batch_size, pause, poll = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
frames = sys.argv[5:]
os.makedirs(out_dir, exist_ok=True)
# The same headers and body fields the runner sends (shared/reference/runway-api.md).
headers = {"Authorization": f"Bearer {key}", "X-Runway-Version": "2024-11-06", "Content-Type": "application/json"}


def call(method: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base_url + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def data_uri(frame: str) -> str:
    kind = mimetypes.guess_type(frame)[0] or "image/png"
    with open(frame, "rb") as handle:
        return f"data:{kind};base64," + base64.b64encode(handle.read()).decode()


# The data URIs are made before the clock starts: the runner hashes and encodes its frames too, but the
# figure compared is the scheduling of the tasks, not Python's base64.
bodies = [{"model": "gen4_turbo", "promptImage": data_uri(frame), "ratio": "1280:720", "duration": 5,
           "promptText": "bench"} for frame in frames]
start = time.perf_counter()
done = 0
for first in range(0, len(frames), batch_size):
    batch = {call("POST", "/v1/image_to_video", body)["id"]: frames[first + offset]
             for offset, body in enumerate(bodies[first:first + batch_size])}
    # Poll every unfinished task of the batch, one after another, until none is left; download on success.
    while batch:
        for task_id, frame in list(batch.items()):
            task = call("GET", f"/v1/tasks/{task_id}")
            if task["status"] == "SUCCEEDED":
                target = os.path.join(out_dir, os.path.basename(frame) + ".mp4")
                urllib.request.urlretrieve(task["output"][0], target)
                del batch[task_id]
                done += 1
            elif task["status"] in ("FAILED", "CANCELLED"):
                sys.exit(f"task {task_id} for {frame} ended {task['status']}: {task.get('failure')}")
        if batch:
            time.sleep(poll)
    # No sleep after the last batch: it would only add a constant to the peer's time.
    if first + batch_size < len(frames):
        time.sleep(pause)
print(f"original: {done} clips, {time.perf_counter() - start:.3f} s wall")
