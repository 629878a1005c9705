package io.simplekv.storage;

import io.simplekv.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

/**
 * Not a check, a measurement: ns per access to one random record of a chronicle pages table sized as the server
 * sizes it, as a big collection's rescore touches its bucket and leaves (and of the memory engine's, for contrast):
 * read, rewrite at the same length, rewrite 26 bytes longer or shorter (a leaf gaining or losing an entry), and
 * patch of the record's second half; for records of 1.1-1.7 KB (zset leaves and buckets), of 300-500 B, and 100
 * records that stay in the CPU cache. No fsync runs meanwhile: this is the cost without {@code appendfsync
 * everysec}'s page faults. Run with {@code mvn -o test -Dtest=ChronicleAccessBenchmark -Dbench=true}; numbers go to
 * stdout.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ChronicleAccessBenchmark {
    private static final int OPS = 400_000;

    @Test
    void costOfOneRandomRecordAccess(@TempDir Path dir) throws Exception {
        try (ChronicleEngine engine = ChronicleEngine.open(dir, ChronicleEngine.Sizing.of(ServerConfig.defaults()))) {
            measure("chronicle", engine.open("db0" + StorageEngine.PAGES_SUFFIX), 40_000, 1100, 600);
            measure("chronicle", engine.open("db1" + StorageEngine.PAGES_SUFFIX), 160_000, 300, 200);
            // Few enough to stay in the CPU cache: what is left is the map's own work per call, not the misses.
            measure("chronicle", engine.open("db2" + StorageEngine.PAGES_SUFFIX), 100, 1100, 600);
        }
        measure("memory", new MemoryEngine().open("db0" + StorageEngine.PAGES_SUFFIX), 40_000, 1100, 600);
    }

    private static void measure(String engine, Storage pages, int records, int minLength, int spread) {
        Random rnd = new Random(1);
        byte[][] keys = new byte[records][];
        int[] lengths = new int[records];
        for (int i = 0; i < records; i++) {
            keys[i] = ByteBuffer.allocate(16).putLong(7).putLong(i).array();
            lengths[i] = minLength + rnd.nextInt(spread);
            pages.put(keys[i], new byte[lengths[i]]);
        }
        String[] kinds = {"read", "same length", "26 bytes longer or shorter", "patch of the second half"};
        for (int round = 0; round < 3; round++) {
            StringBuilder line = new StringBuilder(String.format("%s, %,d records of %d-%d bytes, ns per access:",
                    engine, records, minLength, minLength + spread));
            for (String kind : kinds) {
                long t0 = System.nanoTime();
                for (int i = 0; i < OPS; i++) {
                    int k = rnd.nextInt(records);
                    switch (kind) {
                        case "read" -> pages.get(keys[k]);
                        case "same length" -> pages.put(keys[k], new byte[lengths[k]]);
                        case "26 bytes longer or shorter" -> {
                            lengths[k] += lengths[k] < minLength + spread / 2 ? 26 : -26;
                            pages.put(keys[k], new byte[lengths[k]]);
                        }
                        default -> pages.patch(keys[k], new byte[lengths[k]], lengths[k] / 2, lengths[k]);
                    }
                }
                line.append(String.format(" %s %d;", kind, (System.nanoTime() - t0) / OPS));
            }
            System.out.println(line);
        }
    }
}
