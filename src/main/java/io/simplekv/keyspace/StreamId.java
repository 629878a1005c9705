package io.simplekv.keyspace;

/**
 * A stream entry ID: two unsigned 64-bit numbers, milliseconds and sequence, ordered as one 128-bit number
 * (Redis's streamID). Java has no unsigned long, so every comparison goes through {@link Long#compareUnsigned}.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    public static final StreamId MIN = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1, -1);

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    public boolean isMax() {
        return ms == -1 && seq == -1;
    }

    /** The next ID, or null past the last possible one (Redis's streamIncrID failing). */
    public StreamId next() {
        if (seq != -1) return new StreamId(ms, seq + 1);
        if (ms != -1) return new StreamId(ms + 1, 0);
        return null;
    }

    /** The previous ID, or null before 0-0 (streamDecrID failing). */
    public StreamId previous() {
        if (seq != 0) return new StreamId(ms, seq - 1);
        if (ms != 0) return new StreamId(ms - 1, -1);
        return null;
    }

    public boolean after(StreamId o) {
        return compareTo(o) > 0;
    }

    public boolean before(StreamId o) {
        return compareTo(o) < 0;
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    public byte[] bytes() {
        return toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static StreamId read(byte[] b, int off) {
        return new StreamId(Records.getLong(b, off), Records.getLong(b, off + 8));
    }

    static void write(byte[] b, int off, StreamId id) {
        Records.putLong(b, off, id.ms);
        Records.putLong(b, off + 8, id.seq);
    }
}
