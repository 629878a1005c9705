package io.simplekv.command.server;

import io.simplekv.command.ServerContext;
import io.simplekv.command.generic.DumpRestore;
import io.simplekv.config.ServerConfig;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.keyspace.Records;
import io.simplekv.rdb.RdbFile;
import io.simplekv.rdb.RdbValue;
import io.simplekv.persistence.SnapshotFile;
import io.simplekv.scripting.Functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keyspace as a Redis RDB file ({@code dir}/{@code dbfilename}): written by SAVE and BGSAVE on the memory
 * engine and by DEBUG RELOAD, read back by DEBUG RELOAD and, on the memory engine, at startup. The caller holds
 * every shard (a command with LOCK_ALL, or startup before clients), so the file is one point in time. As Redis's
 * rdbSave, it is written to a temporary file, forced, and renamed over the old one.
 */
public final class RdbSnapshot {
    private static final Logger log = LoggerFactory.getLogger(RdbSnapshot.class);
    /** Byte arrays stop at 2 GB, and the reader takes the file whole. */
    private static final long MAX_LOAD_BYTES = Integer.MAX_VALUE - 64;

    private RdbSnapshot() {}

    public static Path file(ServerConfig config) {
        return Path.of(config.dir).resolve(config.get("dbfilename"));
    }

    /** This server's RDB file, for the persistence layer to write and install (SAVE, BGSAVE, save points). */
    public static SnapshotFile files(ServerContext server) {
        return new SnapshotFile() {
            @Override
            public Path write(Keyspace keyspace, String tempName) throws IOException {
                return writeTemp(keyspace, server.config(), tempName);
            }

            @Override
            public void install(Path temp) throws IOException {
                RdbSnapshot.install(server.config(), temp);
            }
        };
    }

    /**
     * Writes {@code ks} (the live keyspace under every shard, or a frozen copy) to {@code tempName} beside the
     * target, forced to disk; the caller then installs it or drops it.
     */
    public static Path writeTemp(Keyspace ks, ServerConfig config, String tempName) throws IOException {
        Path temp = file(config).resolveSibling(tempName);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
            write(ks, config, out);
            out.flush();
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /** Renames a written temporary file over {@code dir}/{@code dbfilename}, as rdbSave's rename. */
    public static void install(ServerConfig config, Path temp) throws IOException {
        Files.move(temp, file(config), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The whole RDB, header to checksum, into {@code out} (a file, or a replica's first bytes); returns the keys written. */
    public static long write(ServerContext server, OutputStream out) throws IOException {
        return write(server.keyspace(), server.config(), out);
    }

    private static long write(Keyspace ks, ServerConfig config, OutputStream out) throws IOException {
        long written = 0;
        RdbFile.Writer w = new RdbFile.Writer(out, !"no".equals(config.get("rdbchecksum")), config.rdbCompression());
        w.aux("redis-ver", "7.0.15");
        w.aux("redis-bits", "64");
        w.aux("ctime", Long.toString(System.currentTimeMillis() / 1000));
        w.aux("used-mem", Long.toString(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()));
        w.aux("aof-base", "0");
        // The FUNCTION libraries come before the data, as rdbSaveFunctions writes them; the copy stored with the
        // data is read, since the live one belongs to the script thread.
        for (byte[] code : Functions.storedCodes(ks.meta().get(Functions.STORAGE_KEY))) w.function(code);
        for (int j = 0; j < ks.databases(); j++) {
            Database db = ks.db(j);
            if (db.size() == 0) continue;
            w.selectDb(j, db.size(), db.volatileKeys());
            written += writeDatabase(config, db, w);
        }
        w.end();
        return written;
    }

    private static long writeDatabase(ServerConfig config, Database db, RdbFile.Writer w) throws IOException {
        List<byte[]> keys = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = db.scan(cursor, 1000, keys::add);
        } while (cursor != 0);
        long written = 0;
        for (byte[] key : keys) {
            byte[] rec = db.peek(key);
            if (rec == null) continue;
            long at = Records.expireAt(rec);
            w.entry(key, at == Records.NO_EXPIRY ? -1 : at, DumpRestore.valueOf(db, config, key, rec));
            written++;
        }
        return written;
    }

    /** Loads the file into the (empty) keyspace; returns the keys loaded, or -1 when there is no file. */
    public static long load(ServerContext server) throws IOException {
        return load(server, false, true);
    }

    /**
     * Loads the file; with {@code merge} (DEBUG RELOAD ... MERGE) a key or library the file holds replaces the one
     * already there, else one already there fails the load as a duplicate, as Redis's rdbLoad.
     * {@code flushFunctions}: the dataset was emptied for this load, and the libraries go with it (emptyData).
     */
    public static long load(ServerContext server, boolean merge, boolean flushFunctions) throws IOException {
        Path file = file(server.config());
        if (!Files.exists(file)) return -1;
        if (Files.size(file) > MAX_LOAD_BYTES) throw new IOException("RDB file over 2 GB: not supported yet");
        return load(server, Files.readAllBytes(file), merge, flushFunctions, file.toString());
    }

    /**
     * Loads an RDB held in memory (a master's snapshot, or a file read whole); {@code source} names it in the log.
     * The caller holds every shard.
     */
    public static long load(ServerContext server, byte[] bytes, boolean merge, boolean flushFunctions, String source) {
        Keyspace ks = server.keyspace();
        long[] loaded = {0};
        long now = Database.now();
        Set<String> libraries = new HashSet<>();
        if (!flushFunctions) {
            for (byte[] code : Functions.storedCodes(ks.meta().get(Functions.STORAGE_KEY))) {
                libraries.add(Functions.libraryName(code).toLowerCase(java.util.Locale.ROOT));
            }
        }
        List<byte[]> codes = new ArrayList<>();
        RdbFile.read(bytes, new RdbFile.Visitor() {
            Database db = ks.db(0);

            @Override
            public void selectDb(int index) {
                if (index < 0 || index >= ks.databases()) {
                    throw new IllegalArgumentException("FATAL: Data file was created with a Redis server configured "
                            + "to handle more than " + ks.databases() + " databases.");
                }
                db = ks.db(index);
            }

            @Override
            public void entry(byte[] key, long expireAt, RdbValue value) {
                if (expireAt >= 0 && expireAt <= now) return; // a master's load drops keys already expired
                if (merge) db.delete(key);
                else if (db.present(key)) throw new IllegalArgumentException("Duplicate key in the RDB file");
                DumpRestore.store(db, server.config(), key, value);
                if (expireAt >= 0) db.put(key, Records.withExpiry(db.lookup(key), expireAt));
                // A persistent engine stages a unit's writes until it ends: a big file is applied as it goes.
                if (++loaded[0] % 1024 == 0) ks.engine().flush();
            }

            @Override
            public void function(byte[] libraryCode) {
                // Checked here, in file order: the libraries precede the keys, so a duplicate fails the load
                // before any key is loaded, as rdbFunctionLoad does without RDBFLAGS_ALLOW_DUP.
                String name;
                try {
                    name = Functions.libraryName(libraryCode).toLowerCase(java.util.Locale.ROOT);
                } catch (Functions.Refused e) {
                    throw new IllegalArgumentException("Failed loading library: " + e.getMessage());
                }
                if (!libraries.add(name) && !merge) {
                    throw new IllegalArgumentException("Library " + name + " already exists");
                }
                codes.add(libraryCode);
            }
        });
        if (flushFunctions || !codes.isEmpty()) {
            server.scripts().loadLibraries(codes, flushFunctions,
                    reason -> log.warn("A FUNCTION library in {} did not load: {}", source, reason),
                    () -> ks.meta().put(Functions.STORAGE_KEY, server.scripts().functions().serialize()));
        }
        return loaded[0];
    }

    /** Logs why a save or load failed; the command's reply says only that it did, as Redis's does. */
    static void logFailure(String what, Exception e) {
        log.warn("{} failed: {}", what, e.getMessage());
    }
}
