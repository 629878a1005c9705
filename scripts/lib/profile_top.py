#!/usr/bin/env python3
"""Summarises an async-profiler .collapsed file: the share of samples per top frame (self time) and per frame
anywhere on the stack (inclusive), so a profile can be read in a terminal or quoted in docs/performance.md.
Usage: profile_top.py FILE.collapsed [N] [FILTER]   (FILTER: a substring the inclusive list must contain)"""
import collections
import sys

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
wanted = sys.argv[3] if len(sys.argv) > 3 else ""
own, anywhere, total = collections.Counter(), collections.Counter(), 0
with open(path) as f:
    for line in f:
        stack, count = line.rstrip().rsplit(" ", 1)
        count = int(count)
        total += count
        frames = stack.split(";")
        own[frames[-1]] += count
        for frame in set(frames):
            anywhere[frame] += count
print(f"{total} samples")
print("self:")
for frame, count in own.most_common(n):
    print(f"{100 * count / total:5.1f}%  {frame}")
print("inclusive" + (f" ({wanted})" if wanted else "") + ":")
shown = 0
for frame, count in anywhere.most_common():
    if wanted in frame:
        print(f"{100 * count / total:5.1f}%  {frame}")
        shown += 1
        if shown == n:
            break
