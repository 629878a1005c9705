package io.simplekv.command;

import io.simplekv.config.ServerConfig;
import io.simplekv.keyspace.AccessClock;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.keyspace.Records;
import io.simplekv.keyspace.UnitOfWork;
import io.simplekv.pubsub.KeyspaceEvents;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Redis's performEvictions: while the memory in use ({@link UsedMemory}) is over {@code maxmemory}, delete keys the
 * policy picks among {@code maxmemory-samples} sampled ones, each as a deletion of its own (keyspace event
 * {@code evicted}, a DEL to replicas, evicted_keys). With {@code noeviction}, or nothing left the policy may take,
 * the caller refuses commands that would grow the dataset.
 *
 * <p>The LRU policies take the key idle longest, the LFU ones the one least often used (by the keys' access fields,
 * {@link io.simplekv.keyspace.AccessClock}), {@code volatile-ttl} the one that expires first, and the random ones
 * the first sampled. As Redis's evictionPoolPopulate, the ranked policies sample {@code maxmemory-samples} keys of
 * every database into a pool of the 16 best candidates kept from one eviction to the next, and evict the best one
 * still there. An engine that keeps no access fields (Chronicle) gets random picks under LRU and LFU.
 */
final class Eviction {
    /** A bound on one call's work, so a command never waits long behind evictions (Redis's eviction tenacity). */
    private static final int MAX_KEYS_PER_CALL = 1000;
    private final ServerContext server;
    private int nextDb;
    /** Redis's EVPOOL_SIZE. */
    private static final int POOL_SIZE = 16;
    /** A bound on sampling rounds that found only keys gone meanwhile (Redis loops until it finds one). */
    private static final int MAX_ROUNDS = 16;

    private record Candidate(int db, byte[] key, long score) {}

    /**
     * The eviction pool, ascending by score (its last entry goes first), for the policy in {@link #poolRank}: a
     * change of policy empties it. Guarded by itself, since any event loop and the cron may evict.
     */
    private final List<Candidate> pool = new ArrayList<>(POOL_SIZE);
    private Rank poolRank;
    private boolean poolVolatile;

    Eviction(ServerContext server) {
        this.server = server;
    }

    /**
     * Evicts keys until memory is within maxmemory, if the policy allows; false when it is over and nothing could
     * be evicted (Redis's EVICT_FAIL), so a command that may grow the data is refused.
     */
    boolean makeRoom() {
        ServerConfig config = server.config();
        long max = config.maxmemory;
        UsedMemory gauge = server.usedMemory();
        if (max <= 0 || gauge.bytes() <= max) return true;
        String policy = config.get("maxmemory-policy");
        if (policy.equals("noeviction")) return false;
        int samples = Integer.parseInt(config.get("maxmemory-samples"));
        Rank rank = policy.endsWith("-ttl") ? Rank.TTL : policy.endsWith("-lru") ? Rank.IDLE
                : policy.endsWith("-lfu") ? Rank.RARITY : Rank.NONE;
        boolean volatileOnly = policy.startsWith("volatile-");
        for (int n = 0; n < MAX_KEYS_PER_CALL && gauge.bytes() > max; n++) {
            boolean evicted = rank == Rank.NONE ? evictRandom(volatileOnly) : evictRanked(volatileOnly, rank, samples);
            if (!evicted) return false;
        }
        // Still over after a call's worth of evictions: as Redis's EVICT_RUNNING when its time limit ends the loop,
        // the command runs and the cron's eviction chore goes on freeing; only nothing left to evict refuses it.
        return true;
    }

    /** The random policies: a random key of the next database that has one; false when none has. */
    private boolean evictRandom(boolean volatileOnly) {
        Keyspace ks = server.keyspace();
        for (int tried = 0; tried < ks.databases(); tried++) {
            int index = nextDb;
            nextDb = (nextDb + 1) % ks.databases();
            Database db = ks.db(index);
            if ((volatileOnly ? db.volatileKeys() : db.size()) == 0) continue;
            byte[] victim = volatileOnly ? db.randomVolatileKey() : db.randomKey();
            if (victim != null && evict(index, db, victim)) return true;
        }
        return false;
    }

    /** How a policy ranks its sample: the key with the highest score goes (evictionPoolPopulate's "idle"). */
    enum Rank { NONE, IDLE, RARITY, TTL }

    /** performEvictions for the ranked policies: refill the pool from every database, evict its best live key. */
    boolean evictRanked(boolean volatileOnly, Rank rank, int samples) {
        Keyspace ks = server.keyspace();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            long total = 0;
            synchronized (pool) {
                if (rank != poolRank || volatileOnly != poolVolatile) {
                    pool.clear();
                    poolRank = rank;
                    poolVolatile = volatileOnly;
                }
                for (int index = 0; index < ks.databases(); index++) {
                    Database db = ks.db(index);
                    long keys = volatileOnly ? db.volatileKeys() : db.size();
                    if (keys == 0) continue;
                    total += keys;
                    populate(index, db, volatileOnly, rank, samples);
                }
            }
            if (total == 0) return false;
            for (Candidate best = takeBest(); best != null; best = takeBest()) {
                Database db = ks.db(best.db());
                byte[] rec = db.peek(best.key());
                // A candidate deleted (or, for volatile-*, persisted) since it was sampled is a ghost: the next one.
                if (rec == null || (volatileOnly && Records.expireAt(rec) == Records.NO_EXPIRY)) continue;
                if (evict(best.db(), db, best.key())) return true;
            }
        }
        return false;
    }

    /** evictionPoolPopulate: each sampled key enters the pool in score order, unless the pool is full of better ones. */
    private void populate(int index, Database db, boolean volatileOnly, Rank rank, int samples) {
        List<byte[]> sampled = volatileOnly ? new ArrayList<>(samples) : db.sampleKeys(samples);
        for (int s = 0; volatileOnly && s < samples; s++) {
            byte[] key = db.randomVolatileKey();
            if (key == null) break;
            sampled.add(key);
        }
        for (byte[] key : sampled) {
            pool.removeIf(c -> c.db() == index && Arrays.equals(c.key(), key)); // sampled again: rescored
            long score = score(db, key, rank);
            int at = 0;
            while (at < pool.size() && pool.get(at).score() < score) at++;
            if (pool.size() == POOL_SIZE) {
                if (at == 0) continue; // worse than every candidate held
                pool.remove(0);
                at--;
            }
            pool.add(at, new Candidate(index, key, score));
        }
    }

    private Candidate takeBest() {
        synchronized (pool) {
            return pool.isEmpty() ? null : pool.remove(pool.size() - 1);
        }
    }

    private long score(Database db, byte[] key, Rank rank) {
        AccessClock access = server.keyspace().access();
        return switch (rank) {
            case IDLE -> access.idleSeconds(db.access(key));
            case RARITY -> 255 - access.frequency(db.access(key));
            case TTL -> {
                byte[] rec = db.peek(key);
                yield rec == null ? Long.MIN_VALUE : -Records.expireAt(rec);
            }
            case NONE -> 0;
        };
    }

    private boolean evict(int index, Database db, byte[] key) {
        try (UnitOfWork unit = server.keyspace().unit().key(key).open()) {
            byte[] rec = db.lookupQuietly(key);
            if (rec == null) return true; // expired meanwhile: memory was freed all the same
            long bytes = db.memoryUsage(key, rec, 5);
            db.delete(key);
            server.usedMemory().evicted(bytes, io.simplekv.keyspace.FieldTable.isPagedCollection(rec));
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
