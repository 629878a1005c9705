#!/usr/bin/env python3
"""Splits an async-profiler CPU .collapsed file of simplekv into the stages of a request, so profiles of different
runs and engines compare at a glance (docs/performance.md). A sample goes to the first stage, in the order below,
whose frame is on its stack. Usage: profile_split.py FILE.collapsed..."""
import sys

STAGES = [
    ("command execution (CommandService.execute)", ["io/simplekv/command/CommandService.execute",
                                                    "io/simplekv/scripting/"]),
    ("socket writes (send syscall)", ["AbstractEpollChannel.doWriteBytes", "Socket.sendAddress", "writevAddresses"]),
    ("socket reads (recv syscall)", ["AbstractEpollChannel.doReadBytes"]),
    ("dispatch (ClientHandler, outside the command)", ["io/simplekv/server/ClientHandler"]),
    ("request decoding (RequestDecoder; before it Netty RedisDecoder, CommandAssembler)", ["io/netty/handler/codec/redis/",
                                                                 "io/simplekv/protocol/CommandAssembler",
                                                                 "io/simplekv/protocol/RequestDecoder",
                                                                 "io/netty/handler/codec/ByteToMessageDecoder"]),
    ("reply flush scheduling (FlushConsolidationHandler, tasks)", ["FlushConsolidationHandler",
                                                                   "SingleThreadEventExecutor.runAllTasks"]),
    ("epoll_wait", ["Native.epollWait"]),
    ("rest of the event loop", ["io/netty/"]),
    ("GC, JIT and other JVM threads", [""]),
]


def split(path):
    totals = [0] * len(STAGES)
    with open(path) as f:
        for line in f:
            stack, count = line.rstrip().rsplit(" ", 1)
            for i, (_, marks) in enumerate(STAGES):
                if any(m in stack for m in marks):
                    totals[i] += int(count)
                    break
    return totals


files = sys.argv[1:]
results = [split(p) for p in files]
print("| stage | " + " | ".join(p.rsplit("/", 1)[-1].replace(".collapsed", "") for p in files) + " |")
print("|---|" + "---|" * len(files))
for i, (name, _) in enumerate(STAGES):
    print(f"| {name} | " + " | ".join(f"{100 * r[i] / max(1, sum(r)):.0f}%" for r in results) + " |")
