package io.simplekv.storage;

import net.openhft.chronicle.hash.ChronicleHashClosedException;
import net.openhft.chronicle.hash.impl.VanillaChronicleHash;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A chain of Chronicle Map generations persisted as {@code <prefix>.g<N>.cmap} files. A Chronicle Map's capacity
 * is fixed when its file is made, so instead of failing a put when the newest map is full the chain opens a
 * larger one; callers write to the newest and look a key up newest to oldest. Nothing is created until the
 * first write, so the tables a server never uses cost no file and no start-up time.
 */
final class MapChain implements AutoCloseable {
    private static final String SUFFIX = ".cmap";
    private static final String CREATING = ".creating";

    record Generation(int number, ChronicleMap<byte[], byte[]> map) {}

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
                found.add(new Generation(n, recover ? b.recoverPersistedTo(f.toFile(), false) : b.createPersistedTo(f.toFile())));
            }
        } catch (IOException e) {
            for (Generation g : found) g.map().close();
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
        ChronicleMap<byte[], byte[]> map;
        try {
            Files.createDirectories(dir);
            // Chronicle keeps using the file's path after creation, so the map can't be made under a temporary
            // name and renamed; a marker around its creation lets the next open drop a half-made file instead.
            Files.write(creating, new byte[0]);
            map = builder(n).createPersistedTo(target.toFile());
            Files.delete(creating);
        } catch (IOException e) {
            throw new UncheckedIOException("can't create " + target, e);
        }
        List<Generation> next = new ArrayList<>(g);
        Generation created = new Generation(n, map);
        next.add(created);
        generations = List.copyOf(next);
        return created;
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

    void sync() {
        for (Generation g : generations) {
            if (g.map() instanceof VanillaChronicleHash<?, ?, ?, ?> h && h.isOpen()) h.msync();
        }
    }

    @Override
    public synchronized void close() {
        sync();
        for (Generation g : generations) g.map().close();
        generations = List.of();
    }
}
