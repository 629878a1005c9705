package io.simplekv.server;

import io.netty.channel.EventLoop;
import io.simplekv.persistence.Persistence;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link GroupCommit} per event loop, made on first use. */
final class GroupCommits {
    private final Persistence persistence;
    private final Map<EventLoop, GroupCommit> byLoop = new ConcurrentHashMap<>();

    GroupCommits(Persistence persistence) {
        this.persistence = persistence;
    }

    GroupCommit of(EventLoop loop) {
        return byLoop.computeIfAbsent(loop, l -> new GroupCommit(persistence));
    }
}
