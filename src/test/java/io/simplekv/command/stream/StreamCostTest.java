package io.simplekv.command.stream;

import io.simplekv.storage.MemoryEngine;
import io.simplekv.storage.Storage;
import io.simplekv.storage.StorageEngine;
import io.simplekv.support.Resp;
import io.simplekv.support.ServerFixture;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How many page records a stream command touches, counted at the storage: on a 10-entry stream and on one of
 * 30,000 entries (300 pages), XADD, reads of COUNT 10 from either end, XREADGROUP and XACK touch the same few
 * records, and a read from an ID in the middle a binary search's worth more.
 */
class StreamCostTest {
    @TempDir
    Path dir;
    private final CountingEngine engine = new CountingEngine();
    private ServerFixture server;
    private Wire r;

    @BeforeEach
    void start() {
        server = new ServerFixture(engine, dir, Map.of());
        r = server.connect();
        fill("small", 10);
        fill("big", 30_000);
    }

    @AfterEach
    void stop() {
        r.close();
        server.close();
    }

    private void fill(String key, int n) {
        StringBuilder batch = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            batch.append(Resp.command("XADD", key, i + "-0", "f", "v" + i));
            if (i % 1000 == 0 || i == n) {
                r.send(batch.toString());
                batch.setLength(0);
            }
        }
        r.call("XGROUP", "CREATE", key, "g", "0");
    }

    /** Page records read or written by one command. */
    private long touched(String... command) {
        long before = engine.pageOps.get();
        r.call(command);
        return engine.pageOps.get() - before;
    }

    private void flat(long limit, String... command) {
        String[] small = command.clone(), big = command.clone();
        for (int i = 0; i < command.length; i++) {
            small[i] = command[i].replace("KEY", "small");
            big[i] = command[i].replace("KEY", "big");
        }
        long s = touched(small), b = touched(big);
        assertTrue(b <= limit && s <= limit, String.join(" ", command) + ": small " + s + ", big " + b + ", limit " + limit);
    }

    @Test
    void commandsTouchFewPagesWhateverTheLength() {
        flat(3, "XADD", "KEY", "*", "f", "v");
        flat(2, "XRANGE", "KEY", "-", "+", "COUNT", "10");
        flat(2, "XREVRANGE", "KEY", "+", "-", "COUNT", "10");
        flat(2, "XLEN", "KEY");
        flat(8, "XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "KEY", ">");
        flat(6, "XACK", "KEY", "g", "1-0");
        flat(6, "XPENDING", "KEY", "g");
        flat(4, "XINFO", "STREAM", "KEY");
        flat(4, "XADD", "KEY", "MAXLEN", "~", "100000", "*", "f", "v"); // a capped stream below its cap
        // A trim's cost is the pages it frees: ~ to 5 entries frees 100 pages (Redis's default LIMIT), 3 touches each.
        long trim = touched("XTRIM", "big", "MAXLEN", "~", "5");
        assertTrue(trim <= 3 * 100 + 4, "XTRIM ~ touched " + trim);
        // From an ID in the middle: a binary search over 300 pages is 9 probes, then the page that holds it.
        long mid = touched("XRANGE", "big", "15000", "+", "COUNT", "10");
        assertTrue(mid <= 14, "XRANGE from the middle touched " + mid);
        long del = touched("XDEL", "big", "15000-0");
        assertTrue(del <= 14, "XDEL in the middle touched " + del);
    }

    /** The memory engine, counting every get, put and remove on a pages table. */
    static final class CountingEngine implements StorageEngine {
        final AtomicLong pageOps = new AtomicLong();
        private final MemoryEngine memory = new MemoryEngine();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public Storage open(String table) {
            Storage inner = memory.open(table);
            return table.endsWith(PAGES_SUFFIX) ? new Counting(inner) : inner;
        }

        private final class Counting implements Storage {
            private final Storage inner;

            Counting(Storage inner) {
                this.inner = inner;
            }

            @Override
            public byte[] get(byte[] key) {
                pageOps.incrementAndGet();
                return inner.get(key);
            }

            @Override
            public void put(byte[] key, byte[] value) {
                pageOps.incrementAndGet();
                inner.put(key, value);
            }

            @Override
            public boolean remove(byte[] key) {
                pageOps.incrementAndGet();
                return inner.remove(key);
            }

            @Override
            public long size() {
                return inner.size();
            }

            @Override
            public long scan(long cursor, int count, Consumer<byte[]> visitor) {
                return inner.scan(cursor, count, visitor);
            }

            @Override
            public byte[] randomKey() {
                return inner.randomKey();
            }

            @Override
            public void clear() {
                inner.clear();
            }
        }
    }
}
