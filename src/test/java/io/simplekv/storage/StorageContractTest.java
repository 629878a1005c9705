package io.simplekv.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link Storage} must do, whichever engine holds it: each subclass opens one kind of table (and says
 * which keys it takes) and every test here runs on it. What only one engine promises (how a scan copes with
 * resizes, crash windows, recovery, journal replay) stays in that engine's own tests.
 */
abstract class StorageContractTest {
    /** The table under test, empty at the start of each test. */
    Storage table;

    /** Opens an empty table of this kind. */
    abstract Storage open() throws Exception;

    /** Closes what {@link #open} opened. */
    void close() throws Exception {
        table.close();
    }

    /**
     * Makes every write so far visible to a walk over the table (size, scan, randomKey, clear), as the keyspace
     * does with {@link StorageEngine#flush}; only a table written inside a command's batch needs it.
     */
    void applyStaged() {}

    /** The n-th key of a test; distinct n, distinct keys. */
    byte[] key(int n) {
        return ("key:" + n).getBytes(StandardCharsets.UTF_8);
    }

    /** Distinct keys this table takes, with zero bytes, high bytes, an empty key and shared long prefixes. */
    List<byte[]> binaryKeys() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) everyByte[i] = (byte) i;
        return List.of(new byte[0], new byte[] {0}, new byte[] {0, 0}, new byte[] {0, 0, 0}, new byte[] {(byte) 0xff},
                new byte[] {(byte) 0x80, 0}, everyByte, bytes("0123456789abcdef-1"), bytes("0123456789abcdef-2"));
    }

    /** A value for {@code text}; a kind may make every value larger (so that all of them are chunked). */
    byte[] value(String text) {
        return bytes(text);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    final void openTable() throws Exception {
        table = open();
    }

    @AfterEach
    final void closeTable() throws Exception {
        close();
    }

    long size() {
        applyStaged();
        return table.size();
    }

    byte[] randomKey() {
        applyStaged();
        return table.randomKey();
    }

    long scan(long cursor, int count, Consumer<byte[]> visitor) {
        applyStaged();
        return table.scan(cursor, count, visitor);
    }

    /** Walks the whole table; each call is bounded, and the walk must end at cursor 0. */
    Set<ByteBuffer> scanAll(int count) {
        Set<ByteBuffer> seen = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = scan(cursor, count, k -> seen.add(ByteBuffer.wrap(k)));
            assertTrue(++calls < 1_000_000, "scan does not end");
        } while (cursor != 0);
        return seen;
    }

    private Set<ByteBuffer> keys(int from, int to) {
        Set<ByteBuffer> out = new HashSet<>();
        for (int i = from; i < to; i++) out.add(ByteBuffer.wrap(key(i)));
        return out;
    }

    private static byte[] random(Random rnd, int length) {
        byte[] v = new byte[length];
        rnd.nextBytes(v);
        return v;
    }

    /**
     * A table that counts its bytes (used_memory's measure) counts each write as it lands: a new key costs more than
     * its value alone, a bigger value more, a smaller one less, and removing or clearing gives every byte back.
     */
    @Test
    void bytesFollowEveryWrite() {
        org.junit.jupiter.api.Assumptions.assumeTrue(table instanceof SegmentedTable, "only on-heap tables count");
        SegmentedTable<?> counted = (SegmentedTable<?>) table;
        long empty = counted.bytes();
        table.put(key(1), new byte[100]);
        long one = counted.bytes();
        assertTrue(one - empty >= 100, "a 100-byte value cost " + (one - empty));
        table.put(key(1), new byte[1000]);
        long bigger = counted.bytes();
        assertTrue(bigger - one >= 900 - 8, "growing the value by 900 bytes cost " + (bigger - one)); // 8-byte alignment
        table.put(key(1), new byte[10]);
        assertTrue(counted.bytes() < one, "a smaller value frees bytes");
        table.put(key(2), new byte[10]);
        assertTrue(table.remove(key(1)));
        assertTrue(table.remove(key(2)));
        assertEquals(empty, counted.bytes(), "everything given back");
        for (int i = 0; i < 1000; i++) table.put(key(i), new byte[i % 50]);
        applyStaged();
        table.clear();
        assertEquals(empty, counted.bytes());
    }

    @Test
    void anEmptyTableHoldsNothing() {
        assertEquals(0, size());
        assertNull(table.get(key(1)));
        assertFalse(table.contains(key(1)));
        assertFalse(table.remove(key(1)));
        assertNull(randomKey());
        assertEquals(Set.of(), scanAll(10));
    }

    @Test
    void putGetOverwriteAndRemove() {
        table.put(key(1), value("v1"));
        assertArrayEquals(value("v1"), table.get(key(1)));
        table.put(key(1), value("v2"));
        assertEquals(1, size());
        assertArrayEquals(value("v2"), table.get(key(1).clone()), "keys compare by content");
        assertTrue(table.contains(key(1)));
        assertFalse(table.contains(key(2)));
        table.put(key(2), value("other"));
        assertEquals(2, size());
        assertTrue(table.remove(key(1)));
        assertFalse(table.remove(key(1)));
        assertNull(table.get(key(1)));
        assertFalse(table.contains(key(1)));
        assertEquals(1, size());
        assertArrayEquals(value("other"), table.get(key(2)));
    }

    @Test
    void anEmptyValueIsAValue() {
        table.put(key(1), new byte[0]);
        assertArrayEquals(new byte[0], table.get(key(1)));
        assertTrue(table.contains(key(1)));
        assertEquals(1, size());
        table.put(key(1), value("x"));
        table.put(key(1), new byte[0]);
        assertArrayEquals(new byte[0], table.get(key(1)));
        assertTrue(table.remove(key(1)));
        assertNull(table.get(key(1)));
    }

    @Test
    void binaryKeysAreKeptApartByEveryByte() {
        List<byte[]> keys = binaryKeys();
        for (int i = 0; i < keys.size(); i++) table.put(keys.get(i), value("v" + i));
        assertEquals(keys.size(), size());
        for (int i = 0; i < keys.size(); i++) assertArrayEquals(value("v" + i), table.get(keys.get(i).clone()), "key " + i);
        Set<ByteBuffer> expected = new HashSet<>();
        for (byte[] k : keys) expected.add(ByteBuffer.wrap(k));
        assertEquals(expected, scanAll(10));
        assertTrue(table.remove(keys.get(0)));
        assertNull(table.get(keys.get(0)));
        for (int i = 1; i < keys.size(); i++) assertArrayEquals(value("v" + i), table.get(keys.get(i)), "key " + i);
    }

    /** Around every chunk size the engines use (64 bytes in tests, 4 KB, 16 KB) and far past them. */
    @Test
    void valuesOfEverySizeReplaceEachOther() {
        Random rnd = new Random(1);
        table.put(key(0), value("neighbour"));
        int[] lengths = {0, 1, 62, 63, 64, 65, 4095, 4096, 4097, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 70_001,
                1 << 20, 5, 40_000, 0, 1 << 20};
        for (int n : lengths) {
            byte[] v = random(rnd, n);
            table.put(key(1), v);
            assertArrayEquals(v, table.get(key(1)), "length " + n);
        }
        byte[][] big = new byte[5][];
        for (int i = 0; i < big.length; i++) table.put(key(10 + i), big[i] = random(rnd, 20_000 + i));
        assertEquals(7, size());
        assertArrayEquals(value("neighbour"), table.get(key(0)));
        for (int i = 0; i < big.length; i++) assertArrayEquals(big[i], table.get(key(10 + i)));
        assertTrue(table.remove(key(1)));
        assertNull(table.get(key(1)));
        assertEquals(6, size());
    }

    @Test
    void patchRewritesTheChangedRange() {
        byte[] v = value("0123456789");
        table.put(key(1), v);
        byte[] first = v.clone();
        first[2] = 'x';
        first[3] = 'y';
        table.patch(key(1), first, 2, 4);
        assertArrayEquals(first, table.get(key(1)));
        byte[] second = first.clone();
        second[8] = 'z';
        table.patch(key(1), second, 8, 9);
        assertArrayEquals(second, table.get(key(1)), "two patches of one key");
        byte[] big = random(new Random(2), 40_000);
        table.put(key(2), big);
        byte[] bigger = big.clone();
        bigger[30_000] ^= 1;
        table.patch(key(2), bigger, 30_000, 30_001);
        assertArrayEquals(bigger, table.get(key(2)), "a patch of a chunked value");
        table.put(key(3), value("abc"));
        table.put(key(3), value("abd"));
        byte[] third = value("abd");
        third[0] = 'z';
        table.patch(key(3), third, 0, 1);
        assertArrayEquals(third, table.get(key(3)), "a patch after a put");
        assertEquals(3, size());
    }

    @Test
    void manyKeysAgreeWithAModel() {
        Map<Integer, byte[]> model = new HashMap<>();
        Random rnd = new Random(42);
        for (int i = 0; i < 4000; i++) {
            int n = rnd.nextInt(1000);
            if (rnd.nextInt(3) == 0) {
                assertEquals(model.remove(n) != null, table.remove(key(n)), "key " + n);
            } else {
                byte[] v = value("v" + i);
                model.put(n, v);
                table.put(key(n), v);
            }
            if (i % 1000 == 0) assertEquals(model.size(), size());
        }
        assertEquals(model.size(), size());
        for (int n = 0; n < 1000; n++) {
            byte[] expected = model.get(n);
            if (expected == null) assertNull(table.get(key(n)), "key " + n);
            else assertArrayEquals(expected, table.get(key(n)), "key " + n);
            assertEquals(expected != null, table.contains(key(n)), "key " + n);
        }
        for (int n : model.keySet()) assertTrue(table.remove(key(n)));
        assertEquals(0, size());
        assertEquals(Set.of(), scanAll(10));
        table.sync();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100_000})
    void scanVisitsEveryKeyAndEndsAtCursorZero(int count) {
        for (int i = 0; i < 1000; i++) table.put(key(i), value("v"));
        assertEquals(keys(0, 1000), scanAll(count));
    }

    /** SCAN's guarantee: a key present for the whole walk is visited, while others come and go between calls. */
    @Test
    void scanVisitsEveryKeyPresentForTheWholeWalkWhileOthersComeAndGo() {
        Set<ByteBuffer> stable = keys(0, 300);
        for (int i = 0; i < 300; i++) table.put(key(i), value("v"));
        Set<ByteBuffer> seen = new HashSet<>();
        long cursor = 0;
        int calls = 0, churn = 100_000;
        do {
            cursor = scan(cursor, 10, k -> seen.add(ByteBuffer.wrap(k)));
            for (int j = 0; j < 40; j++) table.put(key(churn++), value("x"));
            for (int j = 0; j < 10; j++) table.remove(key(churn - 1 - 3 * j));
            table.put(key(calls * 7 % 300), value("rewritten"));
            calls++;
        } while (cursor != 0 && calls < 100_000);
        assertEquals(0, cursor);
        Set<ByteBuffer> missing = new HashSet<>(stable);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing, "stable keys the walk missed");
    }

    @Test
    void randomKeyIsAPresentKeyAndReachesEach() {
        assertNull(randomKey());
        table.put(key(1), value("v"));
        assertArrayEquals(key(1), randomKey());
        table.put(key(2), value("v"));
        table.put(key(3), value("v"));
        Set<ByteBuffer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) seen.add(ByteBuffer.wrap(randomKey()));
        assertEquals(keys(1, 4), seen);
        for (int i = 1; i <= 3; i++) table.remove(key(i));
        assertNull(randomKey());
        for (int i = 0; i < 500; i++) table.put(key(i), value("v"));
        for (int i = 0; i < 490; i++) table.remove(key(i));
        seen.clear();
        for (int i = 0; i < 3000; i++) {
            byte[] k = randomKey();
            assertNotNull(k);
            assertTrue(table.contains(k), "a removed key came back");
            seen.add(ByteBuffer.wrap(k));
        }
        assertEquals(keys(490, 500), seen);
    }

    @Test
    void clearEmptiesTheTableWhichStaysUsable() {
        for (int i = 0; i < 1000; i++) table.put(key(i), value("v"));
        table.put(key(1000), new byte[50_000]);
        applyStaged();
        table.clear();
        assertEquals(0, size());
        assertNull(table.get(key(1)));
        assertNull(table.get(key(1000)));
        assertNull(randomKey());
        assertEquals(Set.of(), scanAll(10));
        table.put(key(1), value("again"));
        assertEquals(1, size());
        assertArrayEquals(value("again"), table.get(key(1)));
        assertEquals(keys(1, 2), scanAll(10));
    }

    /**
     * readsAreCopies() tells callers whether changing an array get returned changes what is stored (of a value
     * already applied: inside a command, a value staged by its batch comes back as it was staged).
     */
    @Test
    void readsAreCopiesSaysWhetherAReadArrayIsTheStoredOne() {
        byte[] v = value("value");
        table.put(key(1), v.clone());
        applyStaged();
        byte[] read = table.get(key(1));
        read[0] ^= 1;
        boolean storedUnchanged = Arrays.equals(v, table.get(key(1)));
        assertEquals(table.readsAreCopies(), storedUnchanged);
    }

    /** A memory table's copy (a BGSAVE's frozen view) keeps the values of its moment, whatever the live table does. */
    @Test
    void aCopyIsFrozenAgainstPutsRemovesAndInPlacePatches() {
        for (int i = 0; i < 500; i++) table.put(key(i), value("v" + i));
        Storage copy = new MemoryEngine().copy(table);
        if (copy == null) return; // only the memory engine's tables copy
        table.get(key(1))[0] = 'X'; // a command holding the key's lock may patch the stored array
        table.put(key(2), value("changed"));
        table.remove(key(3));
        table.put(key(1000), value("new"));
        table.clear();
        assertEquals(500, copy.size());
        for (int i = 0; i < 500; i++) assertArrayEquals(value("v" + i), copy.get(key(i)), "key " + i);
        assertNull(copy.get(key(1000)));
        Set<String> scanned = new HashSet<>();
        long cursor = 0;
        do {
            cursor = copy.scan(cursor, 100, k -> scanned.add(Arrays.toString(k)));
        } while (cursor != 0);
        assertEquals(500, scanned.size());
    }
}
