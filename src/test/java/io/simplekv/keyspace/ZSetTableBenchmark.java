package io.simplekv.keyspace;

import io.simplekv.config.ServerConfig;
import io.simplekv.observe.ServerStats;
import io.simplekv.storage.ChronicleEngine;
import io.simplekv.storage.MemoryEngine;
import io.simplekv.storage.StorageEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Not a check, a measurement: ns per ZADD-like put (rescoring a member), ZSCORE-like score and ZRANK-like rank,
 * each with the open and commit a command does (and the engine's begin and commit), on a 10-member and a
 * 1,000,000-member zset over the memory engine, or the chronicle one with {@code -Dengine=chronicle}.
 * Run with {@code mvn -o test -Dtest=ZSetTableBenchmark -Dbench=true}; numbers go to stdout.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ZSetTableBenchmark {
    private static final CollectionLimits LIMITS = CollectionLimits.REDIS_DEFAULTS;

    @Test
    void costPerOperationDoesNotGrowWithTheZSet() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("zset-bench");
        StorageEngine engine = "chronicle".equals(System.getProperty("engine"))
                ? ChronicleEngine.open(dir, ChronicleEngine.Sizing.of(ServerConfig.defaults()))
                : new MemoryEngine();
        try (Keyspace ks = new Keyspace(engine, 1, new ServerStats())) {
            Database db = ks.db(0);
            for (int members : new int[] {10, 1_000_000}) {
                byte[] key = ("z" + members).getBytes(StandardCharsets.US_ASCII);
                long t0 = System.nanoTime();
                for (int i = 0; i < members; i++) {
                    engine.begin();
                    ZSetTable t = ZSetTable.openOrCreate(db, key, LIMITS);
                    t.put(member(i), i);
                    t.commit();
                    engine.commit();
                }
                long build = System.nanoTime() - t0;
                String encoding = ZSetTable.open(db, key, LIMITS).encoding();
                for (int round = 0; round < 3; round++) {
                    Random rnd = new Random(round);
                    int ops = 200_000;
                    long allocatedBefore = allocated();
                    long put = time(engine, ops, () -> {
                        ZSetTable t = ZSetTable.open(db, key, LIMITS);
                        t.put(member(rnd.nextInt(members)), rnd.nextInt(1_000_000));
                        t.commit();
                    });
                    long putBytes = (allocated() - allocatedBefore) / ops;
                    long score = time(engine, ops, () -> ZSetTable.open(db, key, LIMITS).score(member(rnd.nextInt(members))));
                    long rank = time(engine, ops, () -> ZSetTable.open(db, key, LIMITS).rank(member(rnd.nextInt(members))));
                    // As after a restart: the heap index is gone and the next rank rebuilds it from the leaves.
                    ks.space().writeFailed();
                    long rebuild = time(engine, 1, () -> ZSetTable.open(db, key, LIMITS).rank(member(0)));
                    System.out.printf("zset of %,d (%s): build %d ns/member; put %d ns/op (%d bytes allocated),"
                            + " score %d, rank %d ns/op; index rebuild %d ms%n", members, encoding, build / members,
                            put / ops, putBytes, score / ops, rank / ops, rebuild / 1_000_000);
                }
            }
        }
    }

    private static byte[] member(int i) {
        return ("member:" + i).getBytes(StandardCharsets.US_ASCII);
    }

    /** Bytes this thread has allocated so far (HotSpot's per-thread counter). */
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static long time(StorageEngine engine, int ops, Runnable op) {
        long t0 = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            engine.begin();
            op.run();
            engine.commit();
        }
        return System.nanoTime() - t0;
    }
}
