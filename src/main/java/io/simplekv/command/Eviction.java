package io.simplekv.command;

import io.simplekv.config.ServerConfig;
import io.simplekv.keyspace.AccessClock;
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
 * <p>The LRU policies take the sampled key idle longest, the LFU ones the one least often used (by the keys' access
 * fields, {@link io.simplekv.keyspace.AccessClock}), {@code volatile-ttl} the one that expires first, and the
 * random ones the first sampled. Redis also keeps the best candidates of earlier samples in a pool of 16; here each
 * eviction ranks a fresh sample. An engine that keeps no access fields (Chronicle) gets random picks under LRU and
 * LFU.
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
        Rank rank = policy.endsWith("-ttl") ? Rank.TTL : policy.endsWith("-lru") ? Rank.IDLE
                : policy.endsWith("-lfu") ? Rank.RARITY : Rank.NONE;
        for (int n = 0; n < MAX_KEYS_PER_CALL && gauge.used() > max; n++) {
            if (!evictOne(policy.startsWith("volatile-"), rank, samples)) return false;
        }
        return gauge.used() <= max;
    }

    /** Evicts one key from the next database that has a candidate; false when no database has one. */
    private boolean evictOne(boolean volatileOnly, Rank rank, int samples) {
        Keyspace ks = server.keyspace();
        for (int tried = 0; tried < ks.databases(); tried++) {
            int index = nextDb;
            nextDb = (nextDb + 1) % ks.databases();
            Database db = ks.db(index);
            if ((volatileOnly ? db.volatileKeys() : db.size()) == 0) continue;
            byte[] victim = pick(db, volatileOnly, rank, samples);
            if (victim != null && evict(index, db, victim)) return true;
        }
        return false;
    }

    /** How a policy ranks its sample: the key with the highest score goes (evictionPoolPopulate's "idle"). */
    enum Rank { NONE, IDLE, RARITY, TTL }

    byte[] pick(Database db, boolean volatileOnly, Rank rank, int samples) {
        AccessClock access = server.keyspace().access();
        byte[] best = null;
        long bestScore = Long.MIN_VALUE;
        for (int s = 0; s < samples; s++) {
            byte[] key = volatileOnly ? db.randomVolatileKey() : db.randomKey();
            if (key == null) break;
            if (rank == Rank.NONE) return key;
            long score = switch (rank) {
                case IDLE -> access.idleSeconds(db.access(key));
                case RARITY -> 255 - access.frequency(db.access(key));
                default -> {
                    byte[] rec = db.peek(key);
                    yield rec == null ? Long.MIN_VALUE : -Records.expireAt(rec);
                }
            };
            if (best == null || score > bestScore) {
                best = key;
                bestScore = score;
            }
        }
        return best;
    }

    private boolean evict(int index, Database db, byte[] key) {
        try (UnitOfWork unit = server.keyspace().unit().key(key).open()) {
            byte[] rec = db.lookupQuietly(key);
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
