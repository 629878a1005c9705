package io.simplekv.command.server;

import io.simplekv.command.Session;
import io.simplekv.command.generic.DumpRestore;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.keyspace.Records;
import io.simplekv.rdb.RdbValue;
import io.simplekv.text.DoubleText;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * DEBUG DIGEST and DIGEST-VALUE as debug.c computes them: SHA-1 mixes, where unordered collections (sets, hashes,
 * sorted sets, a database's keys) xor their elements' digests so that order can't matter, and lists and streams
 * chain theirs. Equal data gives equal digests, the same ones redis-server gives.
 */
final class DatasetDigest {
    private static final int[] OBJ_TYPE = {0, 1, 2, 3, 4, 6}; // string, list, set, zset, hash, stream (server.h)

    private final MessageDigest sha1;

    DatasetDigest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** computeDatasetDigest: every database's keys and values. */
    byte[] dataset(Session c) {
        byte[] result = new byte[20];
        Keyspace ks = c.server().keyspace();
        for (int j = 0; j < ks.databases(); j++) {
            Database db = ks.db(j);
            if (db.size() == 0) continue;
            mix(result, new byte[] {(byte) (j >>> 24), (byte) (j >>> 16), (byte) (j >>> 8), (byte) j});
            long cursor = 0;
            do {
                cursor = db.scan(cursor, 1000, key -> {
                    byte[] rec = db.peek(key);
                    if (rec == null) return;
                    byte[] d = new byte[20];
                    mix(d, key);
                    value(c, db, key, rec, d);
                    xorHash(result, d);
                });
            } while (cursor != 0);
        }
        return result;
    }

    /** DEBUG DIGEST-VALUE of one key: zeros when it is absent (looked up without expiring it, as Redis's dictFind). */
    byte[] key(Session c, byte[] key) {
        byte[] d = new byte[20];
        byte[] rec = c.db().peek(key);
        if (rec != null) value(c, c.db(), key, rec, d);
        return d;
    }

    /** xorObjectDigest. */
    private void value(Session c, Database db, byte[] key, byte[] rec, byte[] digest) {
        RdbValue v = DumpRestore.valueOf(db, c.server().config(), key, rec);
        int type = OBJ_TYPE[typeIndex(v)];
        mix(digest, new byte[] {0, 0, 0, (byte) type});
        if (v instanceof RdbValue.Str s) {
            mix(digest, s.value());
        } else if (v instanceof RdbValue.ListValue l) {
            for (byte[] e : l.elements()) mix(digest, e);
        } else if (v instanceof RdbValue.SetValue s) {
            for (byte[] m : s.members()) xorHash(digest, m);
        } else if (v instanceof RdbValue.ZSetValue z) {
            for (int i = 0; i < z.members().size(); i++) {
                byte[] e = new byte[20];
                mix(e, z.members().get(i));
                mix(e, DoubleText.format(z.scores().get(i)).getBytes(StandardCharsets.US_ASCII));
                xorHash(digest, e);
            }
        } else if (v instanceof RdbValue.HashValue h) {
            for (int i = 0; i < h.fields().size(); i++) {
                byte[] e = new byte[20];
                mix(e, h.fields().get(i));
                mix(e, h.values().get(i));
                xorHash(digest, e);
            }
        } else if (v instanceof RdbValue.StreamValue s) {
            for (RdbValue.StreamItem item : s.entries()) {
                mix(digest, (Long.toUnsignedString(item.id().ms()) + "." + Long.toUnsignedString(item.id().seq()))
                        .getBytes(StandardCharsets.US_ASCII));
                List<byte[]> fv = item.fieldsAndValues();
                for (byte[] b : fv) mix(digest, b);
            }
        }
        if (Records.expireAt(rec) != Records.NO_EXPIRY) xorHash(digest, "!!expire!!".getBytes(StandardCharsets.US_ASCII));
    }

    private static int typeIndex(RdbValue v) {
        if (v instanceof RdbValue.Str) return 0;
        if (v instanceof RdbValue.ListValue) return 1;
        if (v instanceof RdbValue.SetValue) return 2;
        if (v instanceof RdbValue.ZSetValue) return 3;
        if (v instanceof RdbValue.HashValue) return 4;
        return 5;
    }

    /** xorDigest: the digest xored with SHA-1 of the data. */
    private void xorHash(byte[] digest, byte[] data) {
        xor(digest, sha1.digest(data), 0, 20);
    }

    /** mixDigest: xorDigest, then the digest replaced by SHA-1 of itself. */
    private void mix(byte[] digest, byte[] data) {
        xorHash(digest, data);
        System.arraycopy(sha1.digest(digest), 0, digest, 0, 20);
    }

    private static void xor(byte[] into, byte[] from, int off, int len) {
        for (int i = 0; i < len; i++) into[i] ^= from[off + i];
    }
}
