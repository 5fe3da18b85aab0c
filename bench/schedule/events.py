"""Reads a stamped event stream (bench/schedule/stamp.py over `runner apply --format json`) and prints one
line of figures, space separated, for bench/schedule/run.sh:

    clips_span generated skipped per_clip_mean per_clip_max refill_mean refill_max max_in_flight after_end_mean after_end_max

clips_span: stageStarted to stageFinished of stage STAGE (arrival times), in seconds.
per_clip: itemStarted to itemSucceeded per clip (the double makes each in GENERATION s; the rest is the POST,
    the poll that sees SUCCEEDED late, the download, the clip's checks and the checkpoint).
refill: from each freed slot to the itemStarted that took it (first freed, first refilled): the time a
    freed slot stays empty (ideally ~0). A slot is freed when the provider has finished the clip (the
    DOWNLOADING status: its download and upload need no slot), or at itemSucceeded when no such status came.
max_in_flight: clips holding a slot at once (itemStarted to DOWNLOADING or itemSucceeded), as the runner saw them.
after_end: from the moment the double finished a task to its itemSucceeded: the poll's delay (about half
    the interval on average) plus download, checks and checkpoint. The end is estimated from the last
    RUNNING event: its arrival time + (1 - progress) x GENERATION (the double's progress is linear).
Usage: events.py EVENTS_FILE STAGE GENERATION_SECONDS"""
import collections, json, sys

path, stage, generation = sys.argv[1], sys.argv[2], float(sys.argv[3])
events = []
with open(path) as handle:
    for line in handle:
        stamp, _, text = line.partition(" ")
        try:
            event = json.loads(text)
        except ValueError:
            continue
        events.append((float(stamp), event))

span_start = next(t for t, e in events if e["kind"] == "stageStarted" and e.get("stage") == stage)
span_end = next(t for t, e in events if e["kind"] == "stageFinished" and e.get("stage") == stage)
summary = next((e.get("summary", {}) for _, e in events if e["kind"] == "runFinished"), {})

started, durations, refills, after_end, last_running, released = {}, [], [], [], {}, set()
in_flight = peak = 0
freed = collections.deque()   # times of successes whose slot no clip has taken yet
for t, e in events:
    if e.get("stage") != stage:
        continue
    if e["kind"] == "itemStarted":
        started[e["item"]] = t
        in_flight += 1
        peak = max(peak, in_flight)
        if freed:
            refills.append(t - freed.popleft())
    elif e["kind"] == "itemStatus" and e.get("status") == "RUNNING":
        last_running[e["item"]] = t + (1 - (e.get("progress") or 0)) * generation
    elif e["kind"] == "itemStatus" and e.get("status") == "DOWNLOADING" and e["item"] not in released:
        released.add(e["item"])
        in_flight -= 1
        freed.append(t)
    elif e["kind"] == "itemSucceeded":
        durations.append(t - started[e["item"]])
        if e["item"] in last_running:
            after_end.append(t - last_running[e["item"]])
        if e["item"] not in released:
            released.add(e["item"])
            in_flight -= 1
            freed.append(t)

def mean(values): return sum(values) / len(values) if values else 0.0

print(f"{span_end - span_start:.3f} {summary.get('generated', '?')} {summary.get('skipped', '?')} "
      f"{mean(durations):.3f} {max(durations, default=0):.3f} {mean(refills):.3f} {max(refills, default=0):.3f} {peak} "
      f"{mean(after_end):.3f} {max(after_end, default=0):.3f}")
