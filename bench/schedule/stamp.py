"""Prefixes each line of standard input with its arrival time (Unix seconds, microseconds).

`runner apply --format json` writes each event with one write(2) as it happens, but the events' own `time`
field is ISO 8601 to the second only, too coarse for a 1 s schedule: the arrival time is what we measure."""
import sys, time

for line in iter(sys.stdin.buffer.readline, b""):
    sys.stdout.write(f"{time.time():.6f} {line.decode()}")
    sys.stdout.flush()
