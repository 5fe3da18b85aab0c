"""Reads a stamped event stream (bench/schedule/stamp.py over `runner apply --format json`) and prints one
line of figures, space separated, for bench/schedule/run.sh:

    clips_span generated skipped submit_to_done_mean submit_to_done_max refill_mean refill_max max_in_flight

clips_span: stageStarted to stageFinished of stage STAGE (arrival times), in seconds.
submit_to_done: itemStarted to itemSucceeded per clip (the double makes each in GENERATION s; the rest is
    the poll that sees SUCCEEDED late, the download and the checkpoint).
refill: from each itemSucceeded to the itemStarted that took its slot (first freed, first refilled): the
    time a freed slot stays empty (ideally ~0: the next clip starts the moment one finishes).
max_in_flight: clips between itemStarted and itemSucceeded at once, as the runner saw them.
Usage: events.py EVENTS_FILE STAGE"""
import collections, json, sys

path, stage = sys.argv[1], sys.argv[2]
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

started, durations, refills = {}, [], []
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
    elif e["kind"] == "itemSucceeded":
        durations.append(t - started[e["item"]])
        in_flight -= 1
        freed.append(t)

def mean(values): return sum(values) / len(values) if values else 0.0

print(f"{span_end - span_start:.3f} {summary.get('generated', '?')} {summary.get('skipped', '?')} "
      f"{mean(durations):.3f} {max(durations, default=0):.3f} {mean(refills):.3f} {max(refills, default=0):.3f} {peak}")
