package io.simplekv.rdb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * DUMP and RESTORE payloads as Redis 7.0 makes them (rdbSaveObject / rdbLoadObject, then the 2-byte RDB version and
 * the CRC-64): every value encoding Redis 7.0 writes or still reads is read; values are written in the plain
 * encodings (LIST, SET, ZSET_2, HASH) that every Redis version reads, streams as Redis 7.0 writes them.
 */
public final class DumpPayload {
    private DumpPayload() {}

    /** Why a payload was refused, in RESTORE's words. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** DUMP's payload; {@code compress} is rdbcompression, which Redis applies to DUMP as to RDB files. */
    public static byte[] write(RdbValue value, boolean compress) {
        RdbWriter w = new RdbWriter(compress ? new LzfCompressor() : null).type(typeOf(value));
        writeBody(w, value);
        return w.withFooter();
    }

    /** The RDB type byte this value is written with. */
    static int typeOf(RdbValue value) {
        if (value instanceof RdbValue.Str) return RdbType.STRING;
        if (value instanceof RdbValue.ListValue) return RdbType.LIST;
        if (value instanceof RdbValue.SetValue) return RdbType.SET;
        if (value instanceof RdbValue.ZSetValue) return RdbType.ZSET_2;
        if (value instanceof RdbValue.HashValue) return RdbType.HASH;
        return RdbType.STREAM_LISTPACKS_2;
    }

    /** rdbSaveObject: the value after its type byte (and, in an RDB file, after its key). */
    static void writeBody(RdbWriter w, RdbValue value) {
        if (value instanceof RdbValue.Str s) {
            w.string(s.value());
        } else if (value instanceof RdbValue.ListValue l) {
            w.length(l.elements().size());
            for (byte[] e : l.elements()) w.string(e);
        } else if (value instanceof RdbValue.SetValue s) {
            w.length(s.members().size());
            for (byte[] m : s.members()) w.string(m);
        } else if (value instanceof RdbValue.ZSetValue z) {
            w.length(z.members().size());
            for (int i = 0; i < z.members().size(); i++) w.string(z.members().get(i)).binaryDouble(z.scores().get(i));
        } else if (value instanceof RdbValue.HashValue h) {
            w.length(h.fields().size());
            for (int i = 0; i < h.fields().size(); i++) w.string(h.fields().get(i)).string(h.values().get(i));
        } else if (value instanceof RdbValue.StreamValue s) {
            StreamPayload.write(w, s);
        }
    }

    /** The value of a RESTORE payload; {@link Refused} with Redis's text when it can't be one. */
    public static RdbValue read(byte[] payload) {
        if (RdbWriter.verifyFooter(payload) < 0) throw new Refused("DUMP payload version or checksum are wrong");
        try {
            RdbReader in = new RdbReader(payload, 0, payload.length - 10);
            return value(in.readType(), in);
        } catch (IllegalArgumentException | ClassCastException | IndexOutOfBoundsException e) {
            throw new Refused("Bad data format");
        }
    }

    /** rdbLoadObject: the value of the given type byte. */
    static RdbValue value(int type, RdbReader in) {
        switch (type) {
            case RdbType.STRING:
                return new RdbValue.Str(in.readString());
            case RdbType.LIST: {
                long n = count(in);
                List<byte[]> elements = new ArrayList<>();
                for (long i = 0; i < n; i++) elements.add(in.readString());
                return new RdbValue.ListValue(elements);
            }
            case RdbType.LIST_ZIPLIST:
                return new RdbValue.ListValue(nonEmpty(PackedEntries.ziplist(in.readString())));
            case RdbType.LIST_QUICKLIST:
            case RdbType.LIST_QUICKLIST_2: {
                long nodes = count(in);
                List<byte[]> elements = new ArrayList<>();
                for (long i = 0; i < nodes; i++) {
                    long container = type == RdbType.LIST_QUICKLIST_2 ? in.readLength() : RdbType.QUICKLIST_NODE_PACKED;
                    byte[] blob = in.readString();
                    if (container == RdbType.QUICKLIST_NODE_PLAIN) elements.add(blob);
                    else if (container != RdbType.QUICKLIST_NODE_PACKED) throw new IllegalArgumentException("container");
                    else if (type == RdbType.LIST_QUICKLIST) elements.addAll(PackedEntries.ziplist(blob));
                    else elements.addAll(PackedEntries.listpack(blob)); // an empty node is skipped, as Redis does
                }
                return new RdbValue.ListValue(nonEmpty(elements));
            }
            case RdbType.SET: {
                long n = count(in);
                List<byte[]> members = new ArrayList<>();
                for (long i = 0; i < n; i++) members.add(in.readString());
                return new RdbValue.SetValue(distinct(members));
            }
            case RdbType.SET_INTSET:
                return new RdbValue.SetValue(PackedEntries.intset(in.readString()));
            case RdbType.ZSET:
            case RdbType.ZSET_2: {
                long n = count(in);
                List<byte[]> members = new ArrayList<>();
                List<Double> scores = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    members.add(in.readString());
                    scores.add(score(type == RdbType.ZSET_2 ? in.readBinaryDouble() : in.readTextDouble()));
                }
                return new RdbValue.ZSetValue(distinct(members), scores);
            }
            case RdbType.ZSET_ZIPLIST:
            case RdbType.ZSET_LISTPACK: {
                byte[] blob = in.readString();
                List<byte[]> flat = type == RdbType.ZSET_LISTPACK ? PackedEntries.listpack(blob) : PackedEntries.ziplist(blob);
                if (flat.size() % 2 != 0) throw new IllegalArgumentException("odd");
                List<byte[]> members = new ArrayList<>();
                List<Double> scores = new ArrayList<>();
                for (int i = 0; i < flat.size(); i += 2) {
                    members.add(flat.get(i));
                    scores.add(score(parseScore(flat.get(i + 1))));
                }
                return new RdbValue.ZSetValue(distinct(nonEmpty(members)), scores);
            }
            case RdbType.HASH: {
                long n = count(in);
                List<byte[]> fields = new ArrayList<>();
                List<byte[]> values = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    fields.add(in.readString());
                    values.add(in.readString());
                }
                return new RdbValue.HashValue(distinct(fields), values);
            }
            case RdbType.HASH_ZIPLIST:
            case RdbType.HASH_LISTPACK: {
                byte[] blob = in.readString();
                List<byte[]> flat = type == RdbType.HASH_LISTPACK ? PackedEntries.listpack(blob) : PackedEntries.ziplist(blob);
                if (flat.size() % 2 != 0) throw new IllegalArgumentException("odd");
                List<byte[]> fields = new ArrayList<>();
                List<byte[]> values = new ArrayList<>();
                for (int i = 0; i < flat.size(); i += 2) {
                    fields.add(flat.get(i));
                    values.add(flat.get(i + 1));
                }
                return new RdbValue.HashValue(distinct(nonEmpty(fields)), values);
            }
            case RdbType.STREAM_LISTPACKS:
            case RdbType.STREAM_LISTPACKS_2:
                return StreamPayload.read(type, in);
            default:
                throw new IllegalArgumentException("unsupported type " + type); // zipmap, modules
        }
    }

    /** A collection's element count: never 0 (Redis refuses empty keys) and never more than the bytes left. */
    private static long count(RdbReader in) {
        long n = in.readLength();
        if (n <= 0 || n > in.remaining()) throw new IllegalArgumentException("count");
        return n;
    }

    private static List<byte[]> nonEmpty(List<byte[]> elements) {
        if (elements.isEmpty()) throw new IllegalArgumentException("empty");
        return elements;
    }

    /** Duplicate members or fields: Redis's loader refuses them ("Duplicate ... detected"). */
    private static List<byte[]> distinct(List<byte[]> items) {
        Set<ByteBuffer> seen = new HashSet<>();
        for (byte[] b : items) if (!seen.add(ByteBuffer.wrap(b))) throw new IllegalArgumentException("duplicate");
        return items;
    }

    private static double score(double d) {
        if (Double.isNaN(d)) throw new IllegalArgumentException("NaN score");
        return d;
    }

    private static double parseScore(byte[] text) {
        String s = new String(text, StandardCharsets.US_ASCII);
        return switch (s) {
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    static double littleEndianDouble(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getDouble();
    }
}
