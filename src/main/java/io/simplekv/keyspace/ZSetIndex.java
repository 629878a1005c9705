package io.simplekv.keyspace;

import java.util.HashMap;
import java.util.Map;

/**
 * The internal nodes of one big zset's tree: on the heap only, never in a table. They are derived data (each
 * holds its children's entry counts and lower bounds), so {@link ZSetPages} rebuilds them from the leaves when
 * they are missing: after a restart, or after {@link ZSetIndexes} dropped them to stay within its budget. Keeping
 * them out of the table is what makes a rescore cheap on a persistent engine: it writes its bucket and its one or
 * two leaves, not the ~4 KB node at every level whose count changed.
 *
 * <p>Internal node numbers carry {@link #INTERNAL} so they never meet the leaves' page numbers. Used only under
 * the zset's key lock; the node arrays are changed in place.
 */
final class ZSetIndex {
    /** Set in every internal node's number. */
    static final long INTERNAL = 1L << 62;
    /** What an entry costs beyond its bytes: the boxed key, the map node, the array header. */
    static final int NODE_OVERHEAD = 80;

    private final Map<Long, byte[]> nodes = new HashMap<>();
    private long next;
    long root;
    /** The bytes the budget counts for this index; changed only by {@link ZSetIndexes}, under its lock. */
    long bytes;
    /** False once dropped from its registry: a command still holding it may finish, but nothing counts it. */
    boolean registered = true;
    private final ZSetIndexes owner;

    ZSetIndex(ZSetIndexes owner, long root) {
        this.owner = owner;
        this.root = root;
    }

    static boolean isInternal(long node) {
        return (node & INTERNAL) != 0;
    }

    byte[] node(long no) {
        byte[] raw = nodes.get(no);
        if (raw == null) throw new IllegalStateException("zset index has no node " + Long.toHexString(no));
        return raw;
    }

    long allocate() {
        return INTERNAL | next++;
    }

    void put(long no, byte[] raw) {
        byte[] old = nodes.put(no, raw);
        owner.grew(this, cost(raw) - (old == null ? 0 : cost(old)));
    }

    void remove(long no) {
        byte[] old = nodes.remove(no);
        if (old != null) owner.grew(this, -cost(old));
    }

    private static long cost(byte[] raw) {
        return raw.length + NODE_OVERHEAD;
    }
}
