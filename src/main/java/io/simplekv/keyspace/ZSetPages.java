package io.simplekv.keyspace;

import java.util.List;
import java.util.function.BiConsumer;

/** Placeholder: the paged form of a big zset is not written yet, so zsets stay packed at any size. */
final class ZSetPages {
    static final int UNCHANGED = 0, UPDATED = 1, ADDED = 2;

    record Shape(int leafMax, int fanout) {
        static final Shape DEFAULT = new Shape(64, 96);
    }

    static ZSetPages load(Database db, Shape shape, byte[] rec, int off) {
        throw new UnsupportedOperationException("paged zsets are not written yet");
    }

    static ZSetPages create(Database db, Shape shape, List<ZSetTable.Entry> entries) {
        return null;
    }

    static long[] layout(byte[] rec, int off) {
        throw new UnsupportedOperationException();
    }

    long size() { throw new UnsupportedOperationException(); }
    double score(byte[] member) { throw new UnsupportedOperationException(); }
    long rank(byte[] member) { throw new UnsupportedOperationException(); }
    long countWhile(ZSetOrder.Below below) { throw new UnsupportedOperationException(); }
    List<ZSetTable.Entry> range(long start, long count, boolean descending) { throw new UnsupportedOperationException(); }
    ZSetTable.Entry at(long rank) { throw new UnsupportedOperationException(); }
    long scan(long cursor, int count, BiConsumer<byte[], Double> visitor) { throw new UnsupportedOperationException(); }
    void forEach(BiConsumer<byte[], Double> visitor) { throw new UnsupportedOperationException(); }
    int put(byte[] member, double score) { throw new UnsupportedOperationException(); }
    boolean remove(byte[] member) { throw new UnsupportedOperationException(); }
    void removeRange(long from, long count) { throw new UnsupportedOperationException(); }
    void release() { throw new UnsupportedOperationException(); }
    byte[] meta(int tag) { throw new UnsupportedOperationException(); }
}
