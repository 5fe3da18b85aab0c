#!/usr/bin/env python3
"""Runs a command and prints its wall time in seconds and its peak RSS in MB (the largest of the
process tree's members, from wait4's rusage), separated by a space. Exits with the command's status."""
import os, subprocess, sys, time

start = time.monotonic()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
elapsed = time.monotonic() - start
print(f"{elapsed:.3f} {usage.ru_maxrss / 1024:.1f}")
sys.exit(os.waitstatus_to_exitcode(status))
