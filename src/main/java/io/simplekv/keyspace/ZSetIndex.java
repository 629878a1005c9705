package io.simplekv.keyspace;

import java.util.Arrays;

/**
 * The internal nodes of one big zset's tree: on the heap only, never in a table. They are derived data (each
 * holds its children's entry counts and lower bounds), so {@link ZSetPages} rebuilds them from the leaves when
 * they are missing: after a restart, or after {@link ZSetIndexes} dropped them to stay within its budget. Keeping
 * them out of the table is what makes a rescore cheap on a persistent engine: it writes its bucket and its one or
 * two leaves, not the ~4 KB node at every level whose count changed.
 *
 * <p>Internal node numbers carry {@link #INTERNAL} so they never meet the leaves' page numbers; below that bit they
 * index {@code nodes}, and freed numbers are reused first. Used only under the zset's key lock; the node arrays are
 * changed in place.
 */
final class ZSetIndex {
    /** Set in every internal node's number. */
    static final long INTERNAL = 1L << 62;
    /** What a node costs beyond its bytes: its array's header and its slot in {@code nodes}. */
    static final int NODE_OVERHEAD = 24;
    /** What an index costs with no node: itself, its arrays, its registry entry and key. */
    static final int INDEX_OVERHEAD = 200;

    private byte[][] nodes = new byte[8][];
    private int next;
    private int[] free = new int[8];
    private int freeCount;
    /** The root's number (a leaf's, for a zset of one leaf); set once the tree is built. */
    long root = -1;
    /** The bytes the budget counts for this index; changed only by {@link ZSetIndexes}, under its lock. */
    long bytes;
    /** False once dropped from its registry: a command still holding it may finish, but nothing counts it. */
    boolean registered = true;
    private final ZSetIndexes owner;

    ZSetIndex(ZSetIndexes owner) {
        this.owner = owner;
    }

    static boolean isInternal(long node) {
        return (node & INTERNAL) != 0;
    }

    byte[] node(long no) {
        byte[] raw = nodes[(int) (no & ~INTERNAL)];
        if (raw == null) throw new IllegalStateException("zset index has no node " + Long.toHexString(no));
        return raw;
    }

    long allocate() {
        if (freeCount > 0) return INTERNAL | free[--freeCount];
        if (next == nodes.length) nodes = Arrays.copyOf(nodes, 2 * next);
        return INTERNAL | next++;
    }

    void put(long no, byte[] raw) {
        int i = (int) (no & ~INTERNAL);
        byte[] old = nodes[i];
        nodes[i] = raw;
        owner.grew(this, cost(raw) - (old == null ? 0 : cost(old)));
    }

    void remove(long no) {
        int i = (int) (no & ~INTERNAL);
        byte[] old = nodes[i];
        if (old == null) return;
        nodes[i] = null;
        if (freeCount == free.length) free = Arrays.copyOf(free, 2 * freeCount);
        free[freeCount++] = i;
        owner.grew(this, -cost(old));
    }

    private static long cost(byte[] raw) {
        return raw.length + NODE_OVERHEAD;
    }
}
