"""Where the time goes after the last clip lands: reads a stamped event stream (bench/schedule/stamp.py over
`runner apply --format json`) and prints, from the last clip's itemSucceeded, the arrival time of every later event.

    after.py EVENTS_FILE [CLIPS_STAGE] [END]     -> one line: seconds from the last clip to runFinished, and to END
    after.py --detail EVENTS_FILE [CLIPS_STAGE]  -> one line per later event: "+seconds kind stage [status]"

END (optional) is the process's exit time (Unix seconds), as run.sh takes it: the last figure is then the whole tail."""
import json, sys

detail = sys.argv[1] == "--detail"
args = sys.argv[2:] if detail else sys.argv[1:]
path, stage = args[0], (args[1] if len(args) > 1 else "clips")
end = float(args[2]) if len(args) > 2 else None
events = []
with open(path) as handle:
    for line in handle:
        stamp, _, text = line.partition(" ")
        try:
            events.append((float(stamp), json.loads(text)))
        except ValueError:
            continue

last = max(t for t, e in events if e["kind"] == "itemSucceeded" and e.get("stage") == stage)
if detail:
    for t, e in events:
        if t >= last:
            print(f"+{t - last:.3f} {e['kind']} {e.get('stage', '')} {e.get('status', '') or ''} {e.get('item', '') or ''}".rstrip())
    if end is not None:
        print(f"+{end - last:.3f} exit")
else:
    finished = next(t for t, e in events if e["kind"] == "runFinished")
    print(f"{finished - last:.3f}" + (f" {end - last:.3f}" if end is not None else ""))
