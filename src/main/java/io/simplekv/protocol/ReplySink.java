package io.simplekv.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Where a command writes its reply, in semantic shapes (a map, a set, a null) rather than wire bytes, so one
 * handler serves every consumer: the RESP writer in either protocol, and a script that turns the reply into Lua
 * values. A reply is always one whole value: {@link #mark} and {@link #rewind} let the command
 * service replace a half-written reply with the error that cut it short.
 */
public interface ReplySink {
    void ok();

    /**
     * A hint that about this many bytes of reply follow, from a command that knows (a long run of small elements):
     * the RESP writer makes room once instead of growing step by step. Consumers that build values ignore it.
     */
    default void expect(long bytes) {
    }

    /** A status line; text is one byte per char (ISO-8859-1), so strings built from request bytes round-trip. */
    void simple(String s);

    /** An error line; the text carries its own prefix ("ERR ...", "WRONGTYPE ..."). */
    void error(String message);

    void integer(long v);

    void bulk(byte[] b, int off, int len);

    default void bulk(byte[] b) {
        bulk(b, 0, b.length);
    }

    default void bulk(String s) {
        bulk(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A bulk string holding a number, as Redis replies to INCRBYFLOAT or INFO-like values. */
    default void bulk(long v) {
        bulk(Long.toString(v));
    }

    /** A set of bulk strings (an array in RESP2): flag lists such as ACL GETUSER's and CLIENT TRACKINGINFO's. */
    default void bulkSet(java.util.List<String> items) {
        set(items.size());
        for (String item : items) bulk(item);
    }

    default void bulkOrNull(byte[] b) {
        if (b == null) nullBulk();
        else bulk(b);
    }

    /** The missing value of a bulk reply (RESP2 {@code $-1}). */
    void nullBulk();

    /**
     * Bytes that are not one RESP value, as they are: a replica's RDB payload after {@code $<length>} (SYNC), which
     * has no trailing CRLF. Only a connection's own writer takes them.
     */
    default void raw(byte[] b) {
        throw new UnsupportedOperationException("raw bytes need a connection's writer");
    }

    /** The missing value of an aggregate reply (RESP2 {@code *-1}). */
    void nullArray();

    /** An array of n elements follows. */
    void array(int n);

    /** A map of n key/value pairs follows (2n elements; a flat array in RESP2). */
    void map(int n);

    /** A set of n elements follows (an array in RESP2). */
    default void set(int n) {
        array(n);
    }

    /** A double; RESP2 writes it as a bulk string, {@code %.17g} as Redis's addReplyDouble does. */
    default void doubleValue(double d) {
        bulk(io.simplekv.text.DoubleText.format(d));
    }

    /**
     * A double whose text the command chose, as Redis's addReplyHumanLongDouble (GEOPOS) writes it: RESP3's
     * {@code ,text}, RESP2's bulk string of the same text.
     */
    default void doubleValue(double d, String text) {
        bulk(text);
    }

    /** A boolean; RESP2 writes :1 or :0, as Redis's addReplyBool does. */
    default void bool(boolean b) {
        integer(b ? 1 : 0);
    }

    /** A big number; RESP2 writes its digits as a bulk string. */
    default void bigNumber(String digits) {
        bulk(digits);
    }

    /** A verbatim string with its 3-letter format; RESP2 writes only the text, as a bulk string. */
    default void verbatim(String format, String text) {
        bulk(text);
    }

    /**
     * An out-of-band push of n elements follows (RESP3's {@code >}: pub/sub messages, invalidations); an array in
     * RESP2, where pub/sub messages have always been arrays.
     */
    default void push(int n) {
        array(n);
    }

    /**
     * RESP3 attributes (n key/value pairs) describing the reply that follows them; RESP2 has none, so the caller
     * writes them only to a RESP3 client. Only DEBUG PROTOCOL sends one.
     */
    default void attribute(int n) {
        map(n);
    }

    /**
     * The session switched protocol (HELLO): the rest of this reply, and what follows, is in that version. Redis
     * writes HELLO's own reply in the protocol it asked for.
     */
    default void useProtocol(int version) {}

    /** A position in the reply written so far. */
    long mark();

    /** Drops everything written after {@code mark}. */
    void rewind(long mark);
}
