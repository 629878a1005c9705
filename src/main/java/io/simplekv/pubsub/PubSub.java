package io.simplekv.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.simplekv.protocol.RespWriter;
import io.simplekv.text.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The server's channels, patterns and shard channels → subscribers. One per server (owned by ServerContext).
 *
 * Subscribers and publishers run on different event loops. A read-write lock keeps it as simple as Redis's
 * single thread: publishers share the read lock, (un)subscribes take the write lock briefly. A publish only
 * snapshots its receivers under the lock and delivers after releasing it, because a delivery may close a slow
 * subscriber, whose clean-up unsubscribes, which would need the write lock this thread could not upgrade to.
 */
public final class PubSub {
    private static final byte[] MESSAGE = bytes("message");
    private static final byte[] PMESSAGE = bytes("pmessage");
    private static final byte[] SMESSAGE = bytes("smessage");

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Name, Set<Subscriber>> channels = new HashMap<>();
    private final Map<Name, Set<Subscriber>> shardChannels = new HashMap<>();
    private final PatternIndex patterns = new PatternIndex();
    private final ByteBufAllocator alloc;

    public PubSub(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public enum Kind { CHANNEL, PATTERN, SHARD }

    /** Subscribes; returns false if the subscriber already had it (Redis still confirms, with the same count). */
    public boolean subscribe(Subscriber s, Kind kind, byte[] name) {
        Name n = new Name(name);
        Subscriptions mine = s.subscriptions();
        lock.writeLock().lock();
        try {
            boolean added = switch (kind) {
                case CHANNEL -> mine.channels.add(n) && channels.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(s);
                case SHARD -> mine.shardChannels.add(n) && shardChannels.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(s);
                case PATTERN -> mine.patterns.add(n) && patterns.add(n, s);
            };
            mine.recount();
            return added;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean unsubscribe(Subscriber s, Kind kind, byte[] name) {
        Name n = new Name(name);
        Subscriptions mine = s.subscriptions();
        lock.writeLock().lock();
        try {
            boolean removed = switch (kind) {
                case CHANNEL -> mine.channels.remove(n) && removeFrom(channels, n, s);
                case SHARD -> mine.shardChannels.remove(n) && removeFrom(shardChannels, n, s);
                case PATTERN -> mine.patterns.remove(n) && patterns.remove(n, s);
            };
            mine.recount();
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static boolean removeFrom(Map<Name, Set<Subscriber>> map, Name n, Subscriber s) {
        Set<Subscriber> subs = map.get(n);
        if (subs == null || !subs.remove(s)) return false;
        if (subs.isEmpty()) map.remove(n);
        return true;
    }

    /** The subscriber's names of one kind, in subscription order, for UNSUBSCRIBE with no arguments. */
    public List<byte[]> subscribed(Subscriber s, Kind kind) {
        Subscriptions mine = s.subscriptions();
        lock.readLock().lock();
        try {
            Set<Name> set = switch (kind) {
                case CHANNEL -> mine.channels;
                case SHARD -> mine.shardChannels;
                case PATTERN -> mine.patterns;
            };
            List<byte[]> out = new ArrayList<>(set.size());
            for (Name n : set) out.add(n.bytes);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Drops every subscription, without confirmations (RESET, connection closed). */
    public void unsubscribeAll(Subscriber s) {
        if (!s.subscriptions().any()) return;
        for (Kind k : Kind.values()) {
            for (byte[] name : subscribed(s, k)) unsubscribe(s, k, name);
        }
    }

    /** PUBLISH: channel subscribers get "message", then each matching pattern's subscribers "pmessage". */
    public int publish(byte[] channel, byte[] message) {
        List<Subscriber> direct;
        List<PatternIndex.Match> matches = new ArrayList<>();
        lock.readLock().lock();
        try {
            Set<Subscriber> subs = channels.get(new Name(channel));
            direct = subs == null ? List.of() : new ArrayList<>(subs);
            if (patterns.size() > 0) patterns.collect(channel, matches);
        } finally {
            lock.readLock().unlock();
        }
        int receivers = direct.size();
        if (!direct.isEmpty()) deliver(direct, encode(MESSAGE, null, channel, message));
        for (PatternIndex.Match m : matches) {
            receivers += m.subscribers().size();
            deliver(m.subscribers(), encode(PMESSAGE, m.pattern(), channel, message));
        }
        return receivers;
    }

    /** SPUBLISH: shard channels have no patterns. */
    public int publishShard(byte[] channel, byte[] message) {
        List<Subscriber> subs;
        lock.readLock().lock();
        try {
            Set<Subscriber> s = shardChannels.get(new Name(channel));
            subs = s == null ? List.of() : new ArrayList<>(s);
        } finally {
            lock.readLock().unlock();
        }
        if (!subs.isEmpty()) deliver(subs, encode(SMESSAGE, null, channel, message));
        return subs.size();
    }

    /**
     * Encoded once per protocol (a RESP3 push differs from the RESP2 array only in its first byte); each receiver
     * gets a retained duplicate. Receivers on another event loop are grouped so each loop gets one task per message
     * however many of its connections subscribe, which is what fan-out to thousands costs most.
     */
    private static void deliver(List<Subscriber> to, ByteBuf encoded) {
        java.util.IdentityHashMap<io.netty.channel.EventLoop, List<Object>> byLoop = null;
        ByteBuf pushed = null;
        try {
            for (Subscriber s : to) {
                ByteBuf copy;
                if (s.protocolVersion() >= 3) {
                    if (pushed == null) {
                        pushed = encoded.copy();
                        pushed.setByte(pushed.readerIndex(), '>');
                    }
                    copy = pushed.retainedDuplicate();
                } else {
                    copy = encoded.retainedDuplicate();
                }
                io.netty.channel.EventLoop loop = s.loop();
                if (loop == null) {
                    s.deliver(copy);
                } else if (s.admit(copy)) {
                    if (loop.inEventLoop()) {
                        s.writeAdmitted(copy);
                    } else {
                        if (byLoop == null) byLoop = new java.util.IdentityHashMap<>();
                        List<Object> batch = byLoop.computeIfAbsent(loop, l -> new ArrayList<>());
                        batch.add(s);
                        batch.add(copy);
                    }
                }
            }
        } finally {
            encoded.release();
            if (pushed != null) pushed.release();
        }
        if (byLoop == null) return;
        byLoop.forEach((loop, batch) -> {
            try {
                loop.execute(() -> {
                    for (int i = 0; i < batch.size(); i += 2) ((Subscriber) batch.get(i)).writeAdmitted((ByteBuf) batch.get(i + 1));
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                for (int i = 0; i < batch.size(); i += 2) ((ByteBuf) batch.get(i + 1)).release();
            }
        });
    }

    /** The RESP2 form; {@link #deliver} derives the RESP3 push from it. */
    private ByteBuf encode(byte[] kind, byte[] pattern, byte[] channel, byte[] message) {
        int size = 16 + kind.length + channel.length + message.length + 3 * 14 + (pattern == null ? 0 : pattern.length + 14);
        ByteBuf buf = alloc.ioBuffer(size);
        RespWriter w = new RespWriter(buf);
        w.array(pattern == null ? 3 : 4);
        w.bulk(kind);
        if (pattern != null) w.bulk(pattern);
        w.bulk(channel);
        w.bulk(message);
        return buf;
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS: active names matching the glob (all when null). */
    public List<byte[]> channels(boolean shard, byte[] glob) {
        lock.readLock().lock();
        try {
            List<byte[]> out = new ArrayList<>();
            for (Name n : (shard ? shardChannels : channels).keySet()) {
                if (glob == null || Glob.matches(glob, n.bytes)) out.add(n.bytes);
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** PUBSUB NUMSUB / SHARDNUMSUB for one name: pattern subscribers are not counted, as in Redis. */
    public int numSub(boolean shard, byte[] channel) {
        lock.readLock().lock();
        try {
            Set<Subscriber> s = (shard ? shardChannels : channels).get(new Name(channel));
            return s == null ? 0 : s.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** PUBSUB NUMPAT and INFO's pubsub_patterns: distinct patterns with a subscriber. */
    public int numPat() {
        lock.readLock().lock();
        try {
            return patterns.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public int channelCount(boolean shard) {
        lock.readLock().lock();
        try {
            return (shard ? shardChannels : channels).size();
        } finally {
            lock.readLock().unlock();
        }
    }
}
