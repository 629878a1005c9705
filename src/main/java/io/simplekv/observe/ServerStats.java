package io.simplekv.observe;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters behind INFO's stats section; LongAdder because every event loop bumps them. */
public final class ServerStats {
    public final LongAdder connectionsReceived = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    /** Commands not in the table (and unknown subcommands), which no command's own counters see. */
    public final LongAdder unknownCommands = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder keyspaceHits = new LongAdder();
    public final LongAdder keyspaceMisses = new LongAdder();
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder evictedKeys = new LongAdder();
    /** Clients closed by maxmemory-clients (INFO evicted_clients). */
    public final LongAdder evictedClients = new LongAdder();
    public final LongAdder errorReplies = new LongAdder();
    /** Big collections whose pages the background reclaimer finished freeing (INFO lazyfreed_objects). */
    public final LongAdder lazyfreedObjects = new LongAdder();
    /** INFO errorstats: error replies by their first word ("ERR", "WRONGTYPE"). */
    public final ConcurrentHashMap<String, LongAdder> errorsByPrefix = new ConcurrentHashMap<>();

    public void countError(String message) {
        errorReplies.increment();
        int space = message.indexOf(' ');
        String prefix = space < 0 ? message : message.substring(0, space);
        errorsByPrefix.computeIfAbsent(prefix, p -> new LongAdder()).increment();
    }

    public void reset() {
        for (LongAdder a : new LongAdder[] {connectionsReceived, rejectedConnections, unknownCommands,
                netInputBytes, netOutputBytes, keyspaceHits, keyspaceMisses, expiredKeys, evictedKeys, evictedClients, errorReplies,
                lazyfreedObjects}) {
            a.reset();
        }
        errorsByPrefix.clear();
    }
}
