package io.simplekv.keyspace;

import io.simplekv.keyspace.ZSetTable.Entry;
import io.simplekv.storage.Storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A big zset under one collection id: member → score in {@link Buckets} on the even page numbers of the pages
 * table, and an order-statistic B+tree of (score, member) whose leaves are on the odd ones (leaf n is page 2n + 1)
 * and whose internal nodes are on the heap only, in the zset's {@link ZSetIndex}, rebuilt from the leaves when
 * missing. ZSCORE reads one bucket; ZADD and ZREM write one bucket and one leaf (a rescore: two) and change the
 * path's counts on the heap; rank, range and count by score or member walk one path and read one leaf. Every
 * internal entry holds its child's entry count and a lower bound of the child's keys (exact when set, a bound after
 * deletions), so descending by rank or by key needs no sibling.
 *
 * <p>Node bytes are laid out by {@link ZSetNode}; a free leaf page is {@code [2][next free leaf]}. Freed leaves are
 * reused from that free list, so the leaf numbers (and the page range freed on delete) stay bounded by the tree's
 * peak size, not its churn. A restart or a dropped index costs one read of every leaf, once, at the zset's next
 * use of its order (ZSCORE needs none).
 *
 * <p>Most writes change no node's shape: the leaf keeps between its minimum and maximum entries. Those take a fast
 * path that splices the leaf's bytes and changes the ancestors' counts in place; a rescore walks both paths first
 * and writes each touched leaf once. Only a split or an underflow falls back to the general insert and delete
 * over decoded nodes.
 */
final class ZSetPages {
    static final int UNCHANGED = 0, UPDATED = 1, ADDED = 2;
    private static final byte FREE = ZSetNode.FREE;
    private static final long NONE = -1;
    private static final int META_BYTES = 1 + 8 * 6 + 1;

    /** Most entries in a leaf and most children of an internal node; tests use tiny ones to get deep trees. */
    record Shape(int leafMax, int fanout) {
        static final Shape DEFAULT = new Shape(64, 96);

        int min(boolean leaf) {
            return leaf ? Math.max(1, leafMax / 3) : Math.max(2, fanout / 3);
        }

        int max(boolean leaf) {
            return leaf ? leafMax : fanout;
        }
    }

    private final Database db;
    private final Shape shape;
    private final long id;
    private final Buckets members;
    private long size;
    /** The next leaf number never used, and the first free leaf (or NONE): persisted in the key's record. */
    private long nextNode;
    private long freeHead;
    private ZSetIndex tree; // fetched, or rebuilt, at the first use of the order

    private ZSetPages(Database db, Shape shape, long id, Buckets members, long size, long nextNode, long freeHead) {
        this.db = db;
        this.shape = shape;
        this.id = id;
        this.members = members;
        this.size = size;
        this.nextNode = nextNode;
        this.freeHead = freeHead;
    }

    /** The paged zset whose metadata starts at {@code off} (just after the encoding tag) of its record. */
    static ZSetPages load(Database db, Shape shape, byte[] rec, int off) {
        long id = Records.getLong(rec, off);
        Buckets members = new Buckets(db, id, true, 2, rec[off + 16], Records.getLong(rec, off + 17));
        // The root field (off + 25) is left from when internal nodes were stored; the index knows the root now.
        return new ZSetPages(db, shape, id, members, Records.getLong(rec, off + 8), Records.getLong(rec, off + 33),
                Records.getLong(rec, off + 41));
    }

    /** Pages for a zset that outgrew its packed form, built bottom-up from its entries in order. */
    static ZSetPages create(Database db, Shape shape, List<Entry> entries) {
        long id = db.space().allocateId();
        Packed.Builder all = new Packed.Builder();
        for (Entry e : entries) all.add(e.member()).add(ZSetOrder.scoreBytes(e.score()));
        Buckets members = Buckets.create(db, id, true, 2, all.build());
        ZSetPages z = new ZSetPages(db, shape, id, members, entries.size(), 0, NONE);
        z.tree = db.space().indexes().create(db.pagesTable(), id);
        z.tree.root = z.build(entries);
        return z;
    }

    /** {id, page-number bound} of a paged zset record given where its metadata starts. */
    static long[] layout(byte[] rec, int off) {
        long buckets = Buckets.count(rec[off + 16], Records.getLong(rec, off + 17));
        return new long[] {Records.getLong(rec, off), Math.max(2 * buckets, 2 * Records.getLong(rec, off + 33))};
    }

    byte[] meta(int tag) {
        byte[] p = new byte[META_BYTES];
        p[0] = (byte) tag;
        Records.putLong(p, 1, id);
        Records.putLong(p, 9, size);
        p[17] = (byte) members.level();
        Records.putLong(p, 18, members.split());
        Records.putLong(p, 26, NONE);
        Records.putLong(p, 34, nextNode);
        Records.putLong(p, 42, freeHead);
        return p;
    }

    /** Frees every page in the background (a zset emptied before it was ever stored). */
    void release() {
        db.space().release(db.pagesTable(), id, Math.max(2 * members.count(), 2 * nextNode));
    }

    long size() {
        return size;
    }

    // ---- reads ----

    double score(byte[] member) {
        byte[] s = members.get(member);
        return s == null ? Double.NaN : ZSetOrder.score(s, 0);
    }

    long rank(byte[] member) {
        byte[] s = members.get(member);
        return s == null ? -1 : countWhile(ZSetOrder.before(ZSetOrder.score(s, 0), member));
    }

    /** How many entries, from the lowest, satisfy {@code below}: one root-to-leaf walk over the raw pages. */
    long countWhile(ZSetOrder.Below below) {
        long counted = 0;
        long node = tree().root;
        while (true) {
            byte[] raw = page(node);
            if (ZSetNode.isLeaf(raw)) return counted + ZSetNode.firstNotBelow(raw, 0, below);
            // The last child whose lower bound is below holds the boundary; every child before it is wholly below.
            int child = ZSetNode.firstNotBelow(raw, 1, below) - 1;
            counted += ZSetNode.countBefore(raw, child);
            node = ZSetNode.child(raw, child);
        }
    }

    Entry at(long rank) {
        long[] where = locate(rank);
        return ZSetNode.entry(page(where[0]), (int) where[1]);
    }

    List<Entry> range(long start, long count, boolean descending) {
        List<Entry> out = new ArrayList<>((int) Math.min(count, 1024));
        long rank = descending ? size - 1 - start : start;
        while (out.size() < count) {
            long[] where = locate(rank);
            byte[] leaf = page(where[0]);
            int i = (int) where[1], n = ZSetNode.width(leaf);
            if (descending) {
                for (; i >= 0 && out.size() < count; i--, rank--) out.add(ZSetNode.entry(leaf, i));
            } else {
                for (; i < n && out.size() < count; i++, rank++) out.add(ZSetNode.entry(leaf, i));
            }
        }
        return out;
    }

    long scan(long cursor, int count, BiConsumer<byte[], Double> visitor) {
        return members.scan(cursor, count, (m, s) -> visitor.accept(m, ZSetOrder.score(s, 0)));
    }

    void forEach(BiConsumer<byte[], Double> visitor) {
        forEach(tree().root, visitor);
    }

    private void forEach(long node, BiConsumer<byte[], Double> visitor) {
        Node n = read(node);
        if (n.leaf) for (Entry e : n.entries) visitor.accept(e.member(), e.score());
        else for (Child c : n.children) forEach(c.node, visitor);
    }

    /** {leaf node, index in it} of an ascending rank within the zset. */
    private long[] locate(long rank) {
        long node = tree().root;
        while (true) {
            byte[] raw = page(node);
            if (ZSetNode.isLeaf(raw)) return new long[] {node, rank};
            int n = ZSetNode.width(raw);
            for (int i = 0; i < n; i++) {
                node = ZSetNode.child(raw, i);
                long c = ZSetNode.count(raw, i);
                if (rank < c || i + 1 == n) break;
                rank -= c;
            }
        }
    }

    // ---- writes ----

    /** Adds or rescores a member: {@link #ADDED}, {@link #UPDATED} or {@link #UNCHANGED}. */
    int put(byte[] member, double score) {
        byte[] old = members.replace(member, ZSetOrder.scoreBytes(score));
        if (old != null) {
            double was = ZSetOrder.score(old, 0);
            if (Double.compare(was, score) == 0) return UNCHANGED;
            if (!moveInPlace(was, score, member)) {
                delete(was, member);
                insert(score, member);
            }
            return UPDATED;
        }
        members.grow(++size);
        if (!insertInPlace(score, member)) insert(score, member);
        return ADDED;
    }

    boolean remove(byte[] member) {
        byte[] old = members.remove(member);
        if (old == null) return false;
        size--;
        double score = ZSetOrder.score(old, 0);
        if (!deleteInPlace(score, member)) delete(score, member);
        return true;
    }

    /** Removes {@code count} entries from ascending rank {@code from}, a batch of them at a time. */
    void removeRange(long from, long count) {
        while (count > 0) {
            List<Entry> batch = range(from, Math.min(count, 1024), false);
            for (Entry e : batch) remove(e.member());
            count -= batch.size();
        }
    }

    // ---- writes that change no node's shape ----

    /** The root-to-leaf walk towards a key: the nodes, their pages as read, and the slot taken in each. */
    private static final class Path {
        long[] nodes = new long[6];
        byte[][] pages = new byte[6][];
        int[] slots = new int[6];
        int leaf;

        void ensure(int depth) {
            if (depth < nodes.length) return;
            nodes = Arrays.copyOf(nodes, 2 * depth);
            pages = Arrays.copyOf(pages, 2 * depth);
            slots = Arrays.copyOf(slots, 2 * depth);
        }
    }

    /** The path to (score, member): in the leaf, its slot when present, else where it would go. */
    private Path walk(double score, byte[] member) {
        Path p = new Path();
        long node = tree().root;
        for (int d = 0; ; d++) {
            byte[] raw = page(node);
            p.ensure(d);
            p.nodes[d] = node;
            p.pages[d] = raw;
            if (ZSetNode.isLeaf(raw)) {
                p.slots[d] = ZSetNode.lowerBound(raw, score, member);
                p.leaf = d;
                return p;
            }
            int ci = ZSetNode.childFor(raw, score, member);
            p.slots[d] = ci;
            node = ZSetNode.child(raw, ci);
        }
    }

    private boolean canShrink(Path p) {
        return p.leaf == 0 || ZSetNode.width(p.pages[p.leaf]) > shape.min(true);
    }

    private boolean canGrow(Path p) {
        return ZSetNode.width(p.pages[p.leaf]) < shape.leafMax();
    }

    /** Adds the delta to the count of each ancestor's slot on the path, from level {@code from} down. */
    private static void patchCounts(Path p, int from, long delta) {
        for (int d = from; d < p.leaf; d++) ZSetNode.addCount(p.pages[d], p.slots[d], delta); // the index's own
    }

    /** Inserts without a split, or returns false having written nothing. */
    private boolean insertInPlace(double score, byte[] member) {
        Path p = walk(score, member);
        if (!canGrow(p)) return false;
        writePage(p.nodes[p.leaf], ZSetNode.insert(p.pages[p.leaf], p.slots[p.leaf], score, member));
        patchCounts(p, 0, 1);
        return true;
    }

    /** Deletes an entry known to be there without an underflow, or returns false having written nothing. */
    private boolean deleteInPlace(double score, byte[] member) {
        Path p = walk(score, member);
        if (!canShrink(p)) return false;
        writePage(p.nodes[p.leaf], ZSetNode.remove(p.pages[p.leaf], p.slots[p.leaf]));
        patchCounts(p, 0, -1);
        return true;
    }

    /**
     * Moves a member from one score to another when neither leaf changes shape, writing each touched leaf once;
     * the ancestors both paths pass through change two counts (or none, at the same slot).
     */
    private boolean moveInPlace(double was, double score, byte[] member) {
        Path from = walk(was, member), to = walk(score, member);
        int leaf = from.leaf;
        boolean sameLeaf = from.nodes[leaf] == to.nodes[leaf];
        if (!sameLeaf && !(canShrink(from) && canGrow(to))) return false;
        int d = 0;
        for (; d < leaf && from.nodes[d] == to.nodes[d]; d++) {
            if (from.slots[d] == to.slots[d]) continue;
            ZSetNode.addCount(from.pages[d], from.slots[d], -1);
            ZSetNode.addCount(from.pages[d], to.slots[d], 1);
        }
        if (sameLeaf) {
            int at = from.slots[leaf], goes = to.slots[leaf];
            byte[] raw = ZSetNode.remove(from.pages[leaf], at);
            writePage(from.nodes[leaf], ZSetNode.insert(raw, goes > at ? goes - 1 : goes, score, member));
            return true;
        }
        patchCounts(from, d, -1);
        patchCounts(to, d, 1);
        writePage(from.nodes[leaf], ZSetNode.remove(from.pages[leaf], from.slots[leaf]));
        writePage(to.nodes[leaf], ZSetNode.insert(to.pages[leaf], to.slots[leaf], score, member));
        return true;
    }

    // ---- the tree ----

    /** An internal node's entry: the child node, how many entries its subtree holds, a lower bound of its keys. */
    private static final class Child {
        final long node;
        long count;
        double score;
        byte[] member;

        Child(long node, long count, double score, byte[] member) {
            this.node = node;
            this.count = count;
            this.score = score;
            this.member = member;
        }
    }

    private static final class Node {
        final long no;
        final boolean leaf;
        final List<Entry> entries;
        final List<Child> children;

        Node(long no, boolean leaf, List<Entry> entries, List<Child> children) {
            this.no = no;
            this.leaf = leaf;
            this.entries = entries;
            this.children = children;
        }

        int width() {
            return leaf ? entries.size() : children.size();
        }

        long count() {
            if (leaf) return entries.size();
            long n = 0;
            for (Child c : children) n += c.count;
            return n;
        }

        /** A lower bound of every key in this node, as its parent's separator. */
        Child asChild() {
            if (leaf) {
                Entry first = entries.get(0);
                return new Child(no, count(), first.score(), first.member());
            }
            Child first = children.get(0);
            return new Child(no, count(), first.score, first.member);
        }
    }

    private void insert(double score, byte[] member) {
        ZSetIndex t = tree();
        Node right = insert(t.root, score, member);
        if (right == null) return;
        Node left = read(t.root);
        Node top = new Node(t.allocate(), false, null, new ArrayList<>(List.of(left.asChild(), right.asChild())));
        write(top);
        t.root = top.no;
    }

    /** Inserts into a subtree; returns the new right sibling when the subtree's top node split, else null. */
    private Node insert(long node, double score, byte[] member) {
        Node n = read(node);
        if (n.leaf) {
            n.entries.add(leafPosition(n.entries, score, member), new Entry(member, score));
        } else {
            int ci = childFor(n, score, member);
            Child c = n.children.get(ci);
            Node right = insert(c.node, score, member);
            c.count++;
            if (right != null) {
                Child r = right.asChild();
                c.count -= r.count;
                n.children.add(ci + 1, r);
            }
        }
        if (n.width() <= shape.max(n.leaf)) {
            write(n);
            return null;
        }
        int half = n.width() / 2;
        Node right = n.leaf
                ? new Node(allocateLeaf(), true, tail(n.entries, half), null)
                : new Node(tree().allocate(), false, null, tail(n.children, half));
        write(n);
        write(right);
        return right;
    }

    private void delete(double score, byte[] member) {
        ZSetIndex t = tree();
        delete(t.root, score, member);
        Node top = read(t.root);
        if (!top.leaf && top.children.size() == 1) {
            free(t.root);
            t.root = top.children.get(0).node;
        }
    }

    /** Removes an entry known to be there from a subtree; returns the subtree's top node as written. */
    private Node delete(long node, double score, byte[] member) {
        Node n = read(node);
        if (n.leaf) {
            int i = leafPosition(n.entries, score, member);
            n.entries.remove(i);
        } else {
            int ci = childFor(n, score, member);
            Node child = delete(n.children.get(ci).node, score, member);
            n.children.get(ci).count--;
            if (child.width() < shape.min(child.leaf)) rebalance(n, ci, child);
        }
        write(n);
        return n;
    }

    /** Merges an underfull child with a sibling, or evens the two out when together they are too many for one. */
    private void rebalance(Node parent, int ci, Node child) {
        int li = ci > 0 ? ci - 1 : ci;
        Child lc = parent.children.get(li), rc = parent.children.get(li + 1);
        Node left = li == ci ? child : read(lc.node);
        Node right = li == ci ? read(rc.node) : child;
        if (!right.leaf) {
            // The right node's first child stops being first: its lower bound becomes the parent's separator.
            Child first = right.children.get(0);
            first.score = rc.score;
            first.member = rc.member;
        }
        if (left.width() + right.width() <= shape.max(left.leaf)) {
            if (left.leaf) left.entries.addAll(right.entries);
            else left.children.addAll(right.children);
            lc.count += rc.count;
            parent.children.remove(li + 1);
            write(left);
            free(right.no);
            return;
        }
        int total = left.width() + right.width(), half = total / 2;
        if (left.leaf) redistribute(left.entries, right.entries, half);
        else redistribute(left.children, right.children, half);
        write(left);
        write(right);
        Child bound = right.asChild();
        lc.count = left.count();
        rc.count = bound.count;
        rc.score = bound.score;
        rc.member = bound.member;
    }

    /** Evens out two siblings: the first {@code half} items of both, in order, go left, the rest right. */
    private static <T> void redistribute(List<T> left, List<T> right, int half) {
        List<T> all = new ArrayList<>(left);
        all.addAll(right);
        left.clear();
        left.addAll(all.subList(0, half));
        right.clear();
        right.addAll(all.subList(half, all.size()));
    }

    /** The child whose key range holds (score, member): the last whose lower bound is not above it. */
    private static int childFor(Node n, double score, byte[] member) {
        int i = 1;
        while (i < n.children.size()) {
            Child c = n.children.get(i);
            if (ZSetOrder.compare(c.score, c.member, score, member) > 0) break;
            i++;
        }
        return i - 1;
    }

    /** Where (score, member) is or would go in a leaf's entries. */
    private static int leafPosition(List<Entry> entries, double score, byte[] member) {
        int lo = 0, hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            Entry e = entries.get(mid);
            if (ZSetOrder.compare(e.score(), e.member(), score, member) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static <T> List<T> tail(List<T> list, int from) {
        List<T> moved = new ArrayList<>(list.subList(from, list.size()));
        list.subList(from, list.size()).clear();
        return moved;
    }

    /** The tree over entries already in order: full-ish leaves, then the internal levels; returns the root. */
    private long build(List<Entry> entries) {
        List<Node> leaves = new ArrayList<>();
        for (List<Entry> part : split(entries, shape.leafMax())) {
            leaves.add(new Node(allocateLeaf(), true, new ArrayList<>(part), null));
        }
        if (leaves.isEmpty()) leaves.add(new Node(allocateLeaf(), true, new ArrayList<>(), null));
        List<Child> children = new ArrayList<>();
        for (Node n : leaves) {
            write(n);
            children.add(n.asChild());
        }
        return buildAbove(children);
    }

    /** Internal levels over nodes already in order, up to one root, written to the index; returns the root. */
    private long buildAbove(List<Child> children) {
        ZSetIndex t = tree;
        while (children.size() > 1) {
            List<Child> above = new ArrayList<>();
            for (List<Child> part : split(children, shape.fanout())) {
                Node n = new Node(t.allocate(), false, null, new ArrayList<>(part));
                write(n);
                above.add(n.asChild());
            }
            children = above;
        }
        return children.get(0).node;
    }

    /** The zset's index: the registry's, or else rebuilt from every leaf page (after a restart, or once dropped). */
    private ZSetIndex tree() {
        if (tree != null) return tree;
        Storage table = db.pagesTable();
        tree = db.space().indexes().get(table, id);
        if (tree != null) return tree;
        List<Child> leaves = new ArrayList<>();
        long empty = NONE;
        for (long node = 0; node < nextNode; node++) {
            byte[] raw = table.get(pageKey(node));
            // Free pages, and internal nodes a version that stored them left behind, are not part of the tree.
            if (raw == null || !ZSetNode.isLeaf(raw)) continue;
            if (ZSetNode.width(raw) == 0) empty = node; // only ever the root, of a zset emptied by this command
            else leaves.add(new Child(node, ZSetNode.width(raw), ZSetNode.score(raw, 0), ZSetNode.member(raw, 0)));
        }
        leaves.sort((a, b) -> ZSetOrder.compare(a.score, a.member, b.score, b.member));
        tree = db.space().indexes().create(table, id);
        tree.root = leaves.isEmpty() ? empty : buildAbove(leaves);
        return tree;
    }

    /** Consecutive parts of at most {@code max} items, as even as can be (so none is underfull). */
    private static <T> List<List<T>> split(List<T> items, int max) {
        List<List<T>> parts = new ArrayList<>();
        int n = items.size();
        if (n == 0) return parts;
        int count = (n + max - 1) / max;
        for (int p = 0, from = 0; p < count; p++) {
            int to = from + (n - from) / (count - p);
            parts.add(items.subList(from, to));
            from = to;
        }
        return parts;
    }

    // ---- node bytes: leaves in the table, internal nodes in the index ----

    private byte[] pageKey(long node) {
        byte[] k = new byte[16];
        Records.putLong(k, 0, id);
        Records.putLong(k, 8, 2 * node + 1);
        return k;
    }

    /** A node's bytes: an internal node's are the index's own (changed in place), a leaf's must not be changed. */
    private byte[] page(long node) {
        if (ZSetIndex.isInternal(node)) return tree().node(node);
        return db.pagesTable().get(pageKey(node));
    }

    private Node read(long node) {
        byte[] raw = page(node);
        int n = ZSetNode.width(raw);
        if (ZSetNode.isLeaf(raw)) {
            List<Entry> entries = new ArrayList<>(n + 1);
            for (int i = 0; i < n; i++) entries.add(ZSetNode.entry(raw, i));
            return new Node(node, true, entries, null);
        }
        List<Child> children = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            children.add(new Child(ZSetNode.child(raw, i), ZSetNode.count(raw, i), ZSetNode.score(raw, i),
                    ZSetNode.member(raw, i)));
        }
        return new Node(node, false, null, children);
    }

    private void write(Node n) {
        int w = n.width();
        double[] scores = new double[w];
        byte[][] keys = new byte[w][];
        long[] children = n.leaf ? null : new long[w], counts = n.leaf ? null : new long[w];
        for (int i = 0; i < w; i++) {
            if (n.leaf) {
                Entry e = n.entries.get(i);
                scores[i] = e.score();
                keys[i] = e.member();
            } else {
                Child c = n.children.get(i);
                children[i] = c.node;
                counts[i] = c.count;
                scores[i] = c.score;
                keys[i] = c.member;
            }
        }
        writePage(n.no, ZSetNode.encode(n.leaf, w, children, counts, scores, keys));
    }

    /** Writes a node's bytes; a leaf's must not be changed afterwards (the engine may keep the array). */
    private void writePage(long node, byte[] raw) {
        if (ZSetIndex.isInternal(node)) tree.put(node, raw);
        else db.pagesTable().put(pageKey(node), raw);
    }

    private long allocateLeaf() {
        if (freeHead == NONE) return nextNode++;
        long node = freeHead;
        freeHead = Records.getLong(page(node), 1);
        return node;
    }

    private void free(long node) {
        if (ZSetIndex.isInternal(node)) {
            tree.remove(node);
            return;
        }
        byte[] raw = new byte[9];
        raw[0] = FREE;
        Records.putLong(raw, 1, freeHead);
        writePage(node, raw);
        freeHead = node;
    }
}
