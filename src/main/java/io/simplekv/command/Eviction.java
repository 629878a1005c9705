package io.simplekv.command;

import io.simplekv.config.ServerConfig;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.keyspace.Records;
import io.simplekv.keyspace.UnitOfWork;
import io.simplekv.observe.HeapGauge;
import io.simplekv.pubsub.KeyspaceEvents;

/**
 * Redis's performEvictions: while the memory in use ({@link HeapGauge}) is over {@code maxmemory}, delete keys the
 * policy picks among {@code maxmemory-samples} sampled ones, each as a deletion of its own (keyspace event
 * {@code evicted}, a DEL to replicas, evicted_keys). With {@code noeviction}, or nothing left the policy may take,
 * the caller refuses commands that would grow the dataset.
 *
 * <p>Without a per-key access clock, the LRU and LFU policies cannot rank their sample: they take a sampled key at
 * random, as the random policies do; {@code volatile-ttl} takes the sampled key that expires first.
 */
final class Eviction {
    /** A bound on one call's work, so a command never waits long behind evictions (Redis's eviction tenacity). */
    private static final int MAX_KEYS_PER_CALL = 1000;
    private final ServerContext server;
    private int nextDb;

    Eviction(ServerContext server) {
        this.server = server;
    }

    /** Whether memory is within maxmemory now, evicting keys to get there if the policy allows. */
    boolean makeRoom() {
        ServerConfig config = server.config();
        long max = config.maxmemory;
        HeapGauge gauge = server.heapGauge();
        if (max <= 0 || gauge.used() <= max) return true;
        String policy = config.get("maxmemory-policy");
        if (policy.equals("noeviction")) return false;
        int samples = Integer.parseInt(config.get("maxmemory-samples"));
        for (int n = 0; n < MAX_KEYS_PER_CALL && gauge.used() > max; n++) {
            if (!evictOne(policy.startsWith("volatile-"), policy.endsWith("-ttl"), samples)) return false;
        }
        return gauge.used() <= max;
    }

    /** Evicts one key from the next database that has a candidate; false when no database has one. */
    private boolean evictOne(boolean volatileOnly, boolean soonestExpiry, int samples) {
        Keyspace ks = server.keyspace();
        for (int tried = 0; tried < ks.databases(); tried++) {
            int index = nextDb;
            nextDb = (nextDb + 1) % ks.databases();
            Database db = ks.db(index);
            if ((volatileOnly ? db.volatileKeys() : db.size()) == 0) continue;
            byte[] victim = pick(db, volatileOnly, soonestExpiry, samples);
            if (victim != null && evict(index, db, victim)) return true;
        }
        return false;
    }

    private static byte[] pick(Database db, boolean volatileOnly, boolean soonestExpiry, int samples) {
        byte[] best = null;
        long bestExpiry = Long.MAX_VALUE;
        for (int s = 0; s < samples; s++) {
            byte[] key = volatileOnly ? db.randomVolatileKey() : db.randomKey();
            if (key == null) break;
            if (!soonestExpiry) return key;
            byte[] rec = db.peek(key);
            long at = rec == null ? Long.MAX_VALUE : Records.expireAt(rec);
            if (best == null || at < bestExpiry) {
                best = key;
                bestExpiry = at;
            }
        }
        return best;
    }

    private boolean evict(int index, Database db, byte[] key) {
        try (UnitOfWork unit = server.keyspace().unit().key(key).open()) {
            byte[] rec = db.lookup(key);
            if (rec == null) return true; // expired meanwhile: memory was freed all the same
            long bytes = db.memoryUsage(key, rec, 5);
            db.delete(key);
            server.heapGauge().freed(bytes);
            server.stats().evictedKeys.increment();
            server.events().notify(KeyspaceEvents.EVICTED, "evicted", index, key);
            if (server.replication().active()) {
                String verb = "yes".equals(server.config().get("lazyfree-lazy-eviction")) ? "UNLINK" : "DEL";
                server.replication().propagate(index, io.simplekv.replication.Argv.of(verb, key));
            }
            return true;
        }
    }
}
