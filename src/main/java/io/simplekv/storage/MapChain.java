package io.simplekv.storage;

import net.openhft.chronicle.hash.ChronicleHashClosedException;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.MapSegmentContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A chain of Chronicle Map generations persisted as {@code <prefix>.g<N>.cmap} files. A Chronicle Map's capacity
 * is fixed when its file is made, so instead of failing a put when the newest map is full the chain opens a
 * larger one; callers write to the newest and look a key up newest to oldest. Nothing is created until the
 * first write, so the tables a server never uses cost no file and no start-up time.
 *
 * <p>What a key's bytes mean is not this class's business ({@link RecordMaps} decides); it walks keys across the
 * generations for SCAN, RANDOMKEY and DBSIZE.
 *
 * <p>{@link #sync} forces a generation with fdatasync on its file rather than Chronicle's {@code msync()}: on
 * Linux both write back the pages dirtied through the mapping, but {@code msync()} covers only the first mapping
 * (not the extra segment tiers a map adds as it fills) and ignores msync's result, while fdatasync covers the
 * whole file and reports a failure as an IOException.
 */
final class MapChain implements AutoCloseable {
    private static final String SUFFIX = ".cmap";
    private static final String CREATING = ".creating";
    private static final long GENERATION_SHIFT = 32;

    record Generation(int number, ChronicleMap<byte[], byte[]> map, FileChannel file) {}

    private final Path dir;
    private final String prefix;
    private final long baseEntries;
    private final double averageKeySize;
    private final double averageValueSize;
    /** Oldest first; replaced, never mutated, so readers take a snapshot without locking. */
    private volatile List<Generation> generations = List.of();

    MapChain(Path dir, String prefix, long baseEntries, double averageKeySize, double averageValueSize, boolean recover) {
        this.dir = dir;
        this.prefix = prefix;
        this.baseEntries = baseEntries;
        this.averageKeySize = averageKeySize;
        this.averageValueSize = averageValueSize;
        openExisting(recover);
    }

    private void openExisting(boolean recover) {
        if (!Files.isDirectory(dir)) return;
        Pattern name = Pattern.compile(Pattern.quote(prefix) + "\\.g(\\d+)" + Pattern.quote(SUFFIX));
        List<Generation> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String file = f.getFileName().toString();
                Matcher m = name.matcher(file);
                if (!m.matches()) continue;
                // A generation whose creation was cut short may lack a valid header; it never held a write.
                Path creating = dir.resolve(file + CREATING);
                if (Files.exists(creating)) {
                    Files.deleteIfExists(f);
                    Files.delete(creating);
                    continue;
                }
                int n = Integer.parseInt(m.group(1));
                ChronicleMapBuilder<byte[], byte[]> b = builder(n);
                ChronicleMap<byte[], byte[]> map = recover ? b.recoverPersistedTo(f.toFile(), false) : b.createPersistedTo(f.toFile());
                found.add(new Generation(n, map, FileChannel.open(f, StandardOpenOption.READ)));
            }
        } catch (IOException e) {
            for (Generation g : found) closeQuietly(g);
            throw new UncheckedIOException("can't open " + dir.resolve(prefix), e);
        }
        found.sort((a, b) -> Integer.compare(a.number(), b.number()));
        generations = List.copyOf(found);
    }

    private ChronicleMapBuilder<byte[], byte[]> builder(int number) {
        // Doubling per generation keeps the number of maps a lookup walks logarithmic in the key count.
        long entries = baseEntries << Math.min(number, 20);
        return ChronicleMap.of(byte[].class, byte[].class)
                .name(prefix + ".g" + number)
                .entries(entries)
                .averageKeySize(averageKeySize)
                .averageValueSize(averageValueSize)
                // The engine closes maps itself, after the last command, and then writes its clean-shutdown marker.
                .skipCloseOnExitHook(true);
    }

    /**
     * What the chain's entries take in its maps' files, in bytes: the allocated entry chunks (key, value and entry
     * header) of every segment and tier, as each segment's free list counts them. Read without the segments' locks,
     * so a figure of the moment, not exact under writes.
     */
    long usedBytes() {
        long used = 0;
        for (Generation g : generations) {
            for (ChronicleMap.SegmentStats s : g.map().segmentStats()) used += s.usedBytes();
        }
        return used;
    }

    List<Generation> generations() {
        return generations;
    }

    /** The map new writes go to, created on first use. */
    Generation newest() {
        List<Generation> g = generations;
        if (!g.isEmpty()) return g.get(g.size() - 1);
        return grow(null);
    }

    /**
     * Adds a generation after {@code full} (null for the first); if another thread grew the chain meanwhile,
     * returns the newer generation instead of adding a second one.
     */
    synchronized Generation grow(Generation full) {
        List<Generation> g = generations;
        Generation last = g.isEmpty() ? null : g.get(g.size() - 1);
        if (last != full) return last;
        int n = last == null ? 0 : last.number() + 1;
        Path target = dir.resolve(prefix + ".g" + n + SUFFIX);
        Path creating = dir.resolve(prefix + ".g" + n + SUFFIX + CREATING);
        ChronicleMap<byte[], byte[]> map = null;
        FileChannel file;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                fsyncDirectory(dir.getParent());
            }
            // Chronicle keeps using the file's path after creation, so the map can't be made under a temporary
            // name and renamed; a marker around its creation lets the next open drop a half-made file instead.
            Files.write(creating, new byte[0]);
            map = builder(n).createPersistedTo(target.toFile());
            file = FileChannel.open(target, StandardOpenOption.READ);
            Files.delete(creating);
            // The new file's name must reach the disk with it, or a power cut could lose a whole generation.
            fsyncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            // Typically a full disk: Chronicle fallocates the whole file. Nothing was written to it yet.
            if (map != null) map.close();
            try {
                Files.deleteIfExists(target);
                Files.deleteIfExists(creating);
            } catch (IOException ignored) {
                // the next open drops the file, since its marker is still there
            }
            if (e instanceof RuntimeException r) throw r;
            throw new UncheckedIOException("can't create " + target + ": " + e.getMessage(), (IOException) e);
        }
        List<Generation> next = new ArrayList<>(g);
        Generation created = new Generation(n, map, file);
        next.add(created);
        generations = List.copyOf(next);
        return created;
    }

    /**
     * Runs {@code write} on the newest map, growing the chain when that map is full. Chronicle reports a full map
     * as IllegalStateException ("... extra segment tier ... is maximum"); an entry larger than the map allows is an
     * IllegalArgumentException, left to the caller.
     */
    <T> T writeNewest(Function<Generation, T> write) {
        Generation g = newest();
        for (int attempt = 0; ; attempt++) {
            try {
                return write.apply(g);
            } catch (ChronicleHashClosedException e) {
                throw e;
            } catch (IllegalStateException full) {
                // A generation just made for this write that still refuses it is not a capacity problem.
                if (attempt >= 2) throw full;
                g = grow(g);
            }
        }
    }

    /**
     * Visits keys as {@link Storage#scan} does. The cursor is {@code generation << 32 | segment}. A key's segment
     * within a map never changes and a key only ever moves to a newer generation, which the walk (oldest to
     * newest) has not reached yet, so every key present for the whole walk is visited.
     */
    long scan(long cursor, int count, Consumer<byte[]> visitor) {
        int generation = (int) (cursor >>> GENERATION_SHIFT);
        int segment = (int) cursor;
        List<byte[]> keys = new ArrayList<>();
        try {
            for (Generation g : generations) {
                if (g.number() < generation) continue;
                if (g.number() > generation) {
                    generation = g.number();
                    segment = 0;
                }
                ChronicleMap<byte[], byte[]> map = g.map();
                int segments = map.segments();
                while (segment < segments) {
                    collectSegment(map, segment++, keys);
                    if (keys.size() >= count) {
                        keys.forEach(visitor);
                        return segment < segments ? ((long) generation << GENERATION_SHIFT) | segment
                                : ((long) (generation + 1) << GENERATION_SHIFT);
                    }
                }
                generation++;
                segment = 0;
            }
        } catch (ChronicleHashClosedException e) {
            return 0;
        }
        keys.forEach(visitor);
        return 0;
    }

    /**
     * A key picked at random (a generation in proportion to its size, then a random non-empty segment, then a
     * random entry of it), or null. Only the picked key is copied out: eviction samples keys this way, so copying a
     * whole segment's keys for each made eviction the cost of every write.
     */
    byte[] randomKey() {
        List<byte[]> keys = randomKeys(1);
        return keys.isEmpty() ? null : keys.get(0);
    }

    /** Up to {@code count} keys at random positions of one random non-empty segment, in one walk of it. */
    List<byte[]> randomKeys(int count) {
        List<byte[]> keys = new ArrayList<>(count);
        try {
            List<Generation> gens = generations;
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            Generation chosen = gens.isEmpty() ? null : gens.get(0);
            if (gens.size() > 1) {
                long total = 0;
                for (Generation g : gens) total += g.map().longSize();
                if (total == 0) return keys;
                long pick = rnd.nextLong(total);
                for (Generation g : gens) {
                    long n = g.map().longSize();
                    if (pick < n) {
                        chosen = g;
                        break;
                    }
                    pick -= n;
                }
            }
            if (chosen == null) return keys;
            ChronicleMap<byte[], byte[]> map = chosen.map();
            int segments = map.segments();
            int start = rnd.nextInt(segments);
            for (int i = 0; i < segments && keys.isEmpty(); i++) pickInSegment(map, (start + i) % segments, count, rnd, keys);
        } catch (ChronicleHashClosedException e) {
            keys.clear();
        }
        return keys;
    }

    /** Keys at {@code count} random positions of one segment (all of them when it holds fewer), under its lock. */
    private static void pickInSegment(ChronicleMap<byte[], byte[]> map, int segment, int count, ThreadLocalRandom rnd,
                                      List<byte[]> into) {
        try (MapSegmentContext<byte[], byte[], ?> c = map.segmentContext(segment)) {
            long n = c.size();
            if (n == 0) return;
            long[] targets = new long[(int) Math.min(count, n)];
            if (targets.length == n) {
                for (int i = 0; i < targets.length; i++) targets[i] = i;
            } else {
                for (int i = 0; i < targets.length; i++) targets[i] = rnd.nextLong(n);
                java.util.Arrays.sort(targets);
            }
            long[] seen = {0};
            int[] next = {0};
            c.forEachSegmentEntryWhile(e -> {
                long position = seen[0]++;
                byte[] key = null;
                while (next[0] < targets.length && targets[next[0]] == position) {
                    if (key == null) key = e.key().getUsing(null);
                    into.add(key);
                    next[0]++;
                }
                return next[0] < targets.length;
            });
        }
    }

    private static void collectSegment(ChronicleMap<byte[], byte[]> map, int segment, List<byte[]> into) {
        // Keys are copied out under the segment lock and handed to the visitor after it is released.
        try (MapSegmentContext<byte[], byte[], ?> c = map.segmentContext(segment)) {
            c.forEachSegmentEntry(e -> into.add(e.key().getUsing(null)));
        }
    }

    long size() {
        long n = 0;
        try {
            for (Generation g : generations) n += g.map().longSize();
        } catch (ChronicleHashClosedException e) {
            return 0;
        }
        return n;
    }

    void clear() {
        for (Generation g : generations) g.map().clear();
    }

    /** Forces every generation's file to disk; throws UncheckedIOException when the file system refuses. */
    void sync() {
        for (Generation g : generations) {
            try {
                g.file().force(false);
            } catch (java.nio.channels.ClosedChannelException e) {
                // closed by FLUSHDB's swap to a new table; its files are being deleted
            } catch (IOException e) {
                throw new UncheckedIOException("fdatasync of " + dir.resolve(prefix + ".g" + g.number() + SUFFIX)
                        + " failed: " + e.getMessage(), e);
            }
        }
    }

    static void fsyncDirectory(Path d) throws IOException {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Forces and closes every generation; the maps are closed even when the force fails, which is rethrown. */
    @Override
    public void close() {
        close(true);
    }

    /** {@code force} false is for files about to be deleted (FLUSHDB), whose pages need not reach the disk. */
    synchronized void close(boolean force) {
        try {
            if (force) sync();
        } finally {
            for (Generation g : generations) closeQuietly(g);
            generations = List.of();
        }
    }

    private static void closeQuietly(Generation g) {
        g.map().close();
        try {
            g.file().close();
        } catch (IOException ignored) {
            // a read-only descriptor: nothing can be lost by failing to close it
        }
    }
}
