#!/usr/bin/env python3
"""Measures A/V sync in a film of marked clips (a white flash and a beep at the same instant in each).

Usage: sync.py FILM [CLIP_SECONDS]
Prints one line per clip (flash time, beep onset, offset in ms) and a summary: the offset's spread
against the first clip's, and its growth per join (least squares). Uses ffprobe (frame luma through
lavfi's signalstats) and ffmpeg (the first audio stream decoded as a player plays it, sample after
sample), nothing of the runner's.
"""
import struct
import subprocess
import sys


def flashes(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-f", "lavfi", "-i", f"movie={path},signalstats",
                          "-show_entries", "frame=pts_time:frame_tags=lavfi.signalstats.YAVG", "-of", "csv=p=0"],
                         check=True, capture_output=True, text=True).stdout
    times, bright = [], False
    for line in out.splitlines():
        fields = line.split(",")
        if len(fields) != 2:
            continue
        now = float(fields[1]) > 128
        if now and not bright:
            times.append(float(fields[0]))
        bright = now
    return times


def beeps(path):
    start = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=start_time",
                            "-of", "csv=p=0", path], check=True, capture_output=True, text=True).stdout.strip()
    start = float(start) if start not in ("", "N/A") else 0.0
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-map", "0:a:0", "-ac", "1", "-ar", "48000", "-f", "f32le", "-"],
                         check=True, capture_output=True).stdout
    samples = struct.unpack(f"<{len(pcm) // 4}f", pcm)
    onsets, last = [], -10**9
    for index, value in enumerate(samples):
        if abs(value) > 0.05:
            if index - last > 9600:
                onsets.append(start + index / 48000)
            last = index
    return onsets


def main():
    path = sys.argv[1]
    f, b = flashes(path), beeps(path)
    offsets = [(y - x) * 1000 for x, y in zip(f, b)]
    if not offsets:
        print(f"{path}: no flash/beep pairs found (flashes {len(f)}, beeps {len(b)})")
        return 1
    for index in sorted({0, 1, 2, len(offsets) // 2, len(offsets) - 1}):
        print(f"  clip {index + 1:3d}: flash {f[index]:8.3f} s, beep {b[index]:8.3f} s, sound {offsets[index]:+7.1f} ms")
    n = len(offsets)
    mean_x, mean_y = (n - 1) / 2, sum(offsets) / n
    slope = sum((i - mean_x) * (y - mean_y) for i, y in enumerate(offsets)) / max(1e-9, sum((i - mean_x) ** 2 for i in range(n)))
    spread = max(abs(o - offsets[0]) for o in offsets)
    print(f"  {path}: {len(f)} flashes, {len(b)} beeps; offset vs the first clip's: at most {spread:.1f} ms; drift {slope:+.2f} ms per join")
    return 0


if __name__ == "__main__":
    sys.exit(main())
