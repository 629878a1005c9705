package io.simplekv.command;

import io.simplekv.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * maxmemory-clients, as Redis 7.0's evictClients: while the normal and pub/sub clients together hold at least the
 * limit (their tot-mem, as each last counted itself), the biggest evictable client is closed, then the next. A
 * client with CLIENT NO-EVICT ON, a replica and the master link are never closed, though they count. The check is
 * one comparison after each read batch; the clients are recounted and sorted only once it fails.
 */
public final class ClientEviction {
    private static final Logger log = LoggerFactory.getLogger(ClientEviction.class);
    /** getClientEvictionLimit's floor, so a bad setting can't leave the server unreachable. */
    private static final long MIN_LIMIT = 128 * 1024;

    private final ServerContext server;

    /** The limit for one config snapshot; read on every read batch, so replaced whole rather than locked. */
    private record Limit(ServerConfig of, long bytes) {}
    private volatile Limit limit = new Limit(null, 0);

    ClientEviction(ServerContext server) {
        this.server = server;
    }

    /** The limit in bytes: the value, or its percentage of maxmemory (0 when maxmemory is 0); 0 means none. */
    long limit() {
        ServerConfig c = server.config();
        Limit l = limit;
        if (l.of() == c) return l.bytes();
        String v = c.get("maxmemory-clients");
        long bytes = v.endsWith("%")
                ? (long) ((double) c.maxmemory * Long.parseLong(v.substring(0, v.length() - 1)) / 100)
                : Long.parseLong(v);
        long value = bytes <= 0 ? 0 : Math.max(bytes, MIN_LIMIT);
        limit = new Limit(c, value);
        return value;
    }

    /** Closes clients, biggest first, until the clients' memory is under the limit or none is left to close. */
    public void evict() {
        long max = limit();
        ClientRegistry clients = server.clients();
        if (max == 0 || clients.memory() < max) return;
        synchronized (this) {
            List<Session> evictable = new ArrayList<>();
            for (Session c : clients.all()) {
                c.recountMemory();
                if (!c.noEvict() && c.replica() == null && !c.obeysMaster()) evictable.add(c);
            }
            evictable.sort(Comparator.comparingLong(Session::memoryUsage).reversed());
            for (Session c : evictable) {
                if (clients.memory() < max) return;
                log.info("Evicting client: {}", c.info());
                clients.remove(c); // its memory leaves the total now; the close that follows finds it gone
                c.link().close();
                server.stats().evictedClients.increment();
            }
            if (clients.memory() >= max) log.warn("Over client maxmemory after evicting all evictable clients");
        }
    }
}
