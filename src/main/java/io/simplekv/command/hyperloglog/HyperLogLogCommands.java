package io.simplekv.command.hyperloglog;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Notify;
import io.simplekv.command.Session;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.Records;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.util.Random;

import static io.simplekv.command.CommandSpec.command;

/**
 * PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST over plain strings in Redis's HyperLogLog format ({@link Hll}),
 * with Redis's replies, errors and side effects (PFCOUNT of one key stores the cardinality it computed).
 */
public final class HyperLogLogCommands {
    private HyperLogLogCommands() {}

    private static final String INVALID = "INVALIDOBJ Corrupted HLL object detected";
    private static final RedisError NOT_HLL = new RedisError("WRONGTYPE Key is not a valid HyperLogLog string value.");

    public static void register(CommandTable.Builder t) {
        t.add(command("pfadd", HyperLogLogCommands::pfadd));
        t.add(command("pfcount", HyperLogLogCommands::pfcount));
        t.add(command("pfmerge", HyperLogLogCommands::pfmerge));
        t.add(command("pfdebug", HyperLogLogCommands::pfdebug));
        t.add(command("pfselftest", HyperLogLogCommands::pfselftest));
    }

    /** The HLL at key, null when the key is missing; WRONGTYPE for another type or a string that is not an HLL. */
    private static Hll read(Session c, byte[] key) {
        byte[] rec = c.db().lookupString(key);
        if (rec == null) return null;
        Hll h = Hll.of(Records.payload(rec));
        if (h == null) throw NOT_HLL;
        return h.maxSparseBytes(maxSparseBytes(c));
    }

    private static long maxSparseBytes(Session c) {
        try {
            return Long.parseLong(c.server().config().get("hll-sparse-max-bytes"));
        } catch (NumberFormatException e) {
            return 3000;
        }
    }

    /** Stores the HLL, keeping the key's TTL, as Redis changes the string in place. */
    private static void write(Session c, byte[] key, Hll h) {
        write(c, key, h, false);
    }

    /**
     * Like {@link #write}; {@code quietly} for PFDEBUG's encoding changes, which Redis makes without signalling the key
     * (no WATCH touched: checked against redis-server 7.0.15).
     */
    private static void write(Session c, byte[] key, Hll h, boolean quietly) {
        Database db = c.db();
        byte[] rec = db.lookup(key);
        long expireAt = rec == null ? Records.NO_EXPIRY : Records.expireAt(rec);
        byte[] v = h.bytes();
        byte[] record = Records.encode(KeyType.STRING, expireAt, v, 0, v.length, true);
        if (quietly) db.restate(key, record);
        else db.put(key, record);
    }

    static void pfadd(Session c, byte[][] a, ReplySink out) {
        Hll h = read(c, a[1]);
        int updated = 0;
        if (h == null) {
            h = Hll.empty().maxSparseBytes(maxSparseBytes(c));
            updated++;
        }
        try {
            for (int j = 2; j < a.length; j++) updated += h.add(a[j]);
        } catch (Hll.Corrupt e) {
            throw new RedisError(INVALID);
        }
        if (updated > 0) {
            h.invalidateCache();
            write(c, a[1], h);
            Notify.string(c, "pfadd", a[1]);
        }
        out.integer(updated > 0 ? 1 : 0);
    }

    static void pfcount(Session c, byte[][] a, ReplySink out) {
        try {
            if (a.length > 2) {
                byte[] max = new byte[Hll.REGISTERS];
                for (int j = 1; j < a.length; j++) {
                    Hll h = read(c, a[j]);
                    if (h != null) h.mergeInto(max);
                }
                out.integer(Hll.countRaw(max));
                return;
            }
            Hll h = read(c, a[1]);
            if (h == null) {
                out.integer(0);
                return;
            }
            if (h.cacheValid()) {
                out.integer(h.cachedCard());
                return;
            }
            long card = h.count();
            h.cacheCard(card);
            write(c, a[1], h); // Redis keeps the cardinality in the string: a read that writes
            out.integer(card);
        } catch (Hll.Corrupt e) {
            throw new RedisError(INVALID);
        }
    }

    static void pfmerge(Session c, byte[][] a, ReplySink out) {
        byte[] max = new byte[Hll.REGISTERS];
        boolean dense = false;
        try {
            for (int j = 1; j < a.length; j++) {
                Hll h = read(c, a[j]);
                if (h == null) continue;
                if (h.encoding() == Hll.DENSE) dense = true;
                h.mergeInto(max);
            }
            Hll target = read(c, a[1]);
            if (target == null) target = Hll.empty().maxSparseBytes(maxSparseBytes(c));
            if (dense) target.toDense();
            for (int j = 0; j < Hll.REGISTERS; j++) {
                if (max[j] != 0) target.set(j, max[j]);
            }
            target.invalidateCache();
            write(c, a[1], target);
        } catch (Hll.Corrupt e) {
            throw new RedisError(INVALID);
        }
        Notify.string(c, "pfadd", a[1]);
        out.ok();
    }

    /** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. */
    static void pfdebug(Session c, byte[][] a, ReplySink out) {
        String cmd = Args.text(a[1]);
        Hll h = read(c, a[2]);
        if (h == null) throw RedisError.err("The specified key does not exist");
        if (a.length != 3 && (Args.is(a[1], "GETREG") || Args.is(a[1], "DECODE") || Args.is(a[1], "ENCODING")
                || Args.is(a[1], "TODENSE"))) {
            throw RedisError.err("Wrong number of arguments for the '" + cmd + "' subcommand");
        }
        try {
            if (Args.is(a[1], "GETREG")) {
                if (h.toDense()) write(c, a[2], h, true);
                out.array(Hll.REGISTERS);
                for (int j = 0; j < Hll.REGISTERS; j++) out.integer(h.register(j));
            } else if (Args.is(a[1], "DECODE")) {
                if (h.encoding() != Hll.SPARSE) throw RedisError.err("HLL encoding is not sparse");
                out.bulk(h.decode());
            } else if (Args.is(a[1], "ENCODING")) {
                out.simple(h.encoding() == Hll.DENSE ? "dense" : "sparse");
            } else if (Args.is(a[1], "TODENSE")) {
                boolean converted = h.toDense();
                if (converted) write(c, a[2], h, true);
                out.integer(converted ? 1 : 0);
            } else {
                throw RedisError.err("Unknown PFDEBUG subcommand '" + cmd + "'");
            }
        } catch (Hll.Corrupt e) {
            throw new RedisError(INVALID);
        }
    }

    /**
     * PFSELFTEST: the register packing read back after random writes, and sparse and dense encodings of the same
     * elements giving the same estimate, which stays within Redis's error bound.
     */
    static void pfselftest(Session c, byte[][] a, ReplySink out) {
        Random rnd = new Random(1);
        Hll dense = Hll.empty();
        dense.toDense();
        int[] expected = new int[Hll.REGISTERS];
        for (int j = 0; j < Hll.REGISTERS; j++) {
            expected[j] = rnd.nextInt(Hll.REGISTER_MAX + 1);
            dense.set(j, expected[j]);
        }
        for (int j = 0; j < Hll.REGISTERS; j++) {
            if (dense.register(j) != Math.max(expected[j], 0)) {
                throw RedisError.err("TESTFAILED Register error at " + j);
            }
        }
        Hll sparse = Hll.empty().maxSparseBytes(Long.MAX_VALUE), full = Hll.empty();
        full.toDense();
        double relerr = 1.04 / Math.sqrt(Hll.REGISTERS);
        for (int j = 1; j <= 10000; j++) {
            byte[] e = Args.bytes(Integer.toString(rnd.nextInt()));
            sparse.add(e);
            full.add(e);
            if (j % 1000 == 0) {
                long a1 = sparse.count(), a2 = full.count();
                if (a1 != a2) throw RedisError.err("TESTFAILED sparse and dense estimates differ");
            }
        }
        long estimate = full.count();
        if (Math.abs(estimate - 10000) > 10000 * relerr * 5) {
            throw RedisError.err("TESTFAILED too big error. card:10000 abserr:" + Math.abs(estimate - 10000));
        }
        out.ok();
    }
}
