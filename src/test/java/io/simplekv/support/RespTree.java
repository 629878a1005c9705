package io.simplekv.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A RESP2 or RESP3 reply as a tree that writes back to exactly the text it was read from, so a test can drop or
 * reorder parts of a recorded reply (the subcommands Redis lists in random order) and still compare byte for byte.
 * Aggregates (array, map, set, push, attribute) are nodes with children; a map's or attribute's children are its
 * keys and values in turn. Nil arrays and every other value keep their whole text.
 */
public final class RespTree {
    private static final String AGGREGATES = "*%~>|";

    public final char kind;
    /** The node's own text: a scalar's whole encoding ("$3\r\nget\r\n"), or an array's header when nil. */
    private final String text;
    public final List<RespTree> children;

    private RespTree(char kind, String text, List<RespTree> children) {
        this.kind = kind;
        this.text = text;
        this.children = children;
    }

    public static RespTree array(List<RespTree> children) {
        return aggregate('*', children);
    }

    /** An aggregate of the given kind; a map's children are its keys and values in turn. */
    public static RespTree aggregate(char kind, List<RespTree> children) {
        return new RespTree(kind, null, new ArrayList<>(children));
    }

    public static RespTree parse(String reply) {
        int[] pos = {0};
        RespTree t = read(reply, pos);
        if (pos[0] != reply.length()) throw new IllegalArgumentException("trailing bytes at " + pos[0]);
        return t;
    }

    /** Every reply in a stream of them (a command answered by a push and its own reply, say). */
    public static List<RespTree> parseAll(String replies) {
        int[] pos = {0};
        List<RespTree> out = new ArrayList<>();
        while (pos[0] < replies.length()) out.add(read(replies, pos));
        return out;
    }

    private static RespTree read(String s, int[] pos) {
        int start = pos[0];
        int eol = s.indexOf("\r\n", start);
        char kind = s.charAt(start);
        boolean aggregate = AGGREGATES.indexOf(kind) >= 0;
        boolean blob = kind == '$' || kind == '=' || kind == '!';
        long n = aggregate || blob ? Long.parseLong(s.substring(start + 1, eol)) : 0;
        pos[0] = eol + 2;
        if (aggregate) {
            if (n < 0) return new RespTree(kind, s.substring(start, pos[0]), null);
            long elements = kind == '%' || kind == '|' ? 2 * n : n;
            List<RespTree> children = new ArrayList<>();
            for (long i = 0; i < elements; i++) children.add(read(s, pos));
            return new RespTree(kind, null, children);
        }
        if (blob && n >= 0) pos[0] += (int) n + 2;
        return new RespTree(kind, s.substring(start, pos[0]), null);
    }

    /** A bulk, verbatim or simple string's value (a verbatim string's without its format). */
    public String string() {
        if (kind == '$') return text.substring(text.indexOf("\r\n") + 2, text.length() - 2);
        if (kind == '=') return text.substring(text.indexOf("\r\n") + 6, text.length() - 2);
        if (kind == '+') return text.substring(1, text.length() - 2);
        throw new IllegalStateException("not a string: " + this);
    }

    public String encode() {
        if (text != null) return text;
        int n = kind == '%' || kind == '|' ? children.size() / 2 : children.size();
        StringBuilder b = new StringBuilder().append(kind).append(n).append("\r\n");
        for (RespTree c : children) b.append(c.encode());
        return b.toString();
    }

    /**
     * The reply's skeleton: aggregates with their kinds and sizes, every scalar as its type alone, except a map's
     * keys, which are kept whole. Two replies of the same shape whose numbers, ids or times differ have one skeleton.
     */
    public String shape() {
        StringBuilder b = new StringBuilder();
        shape(b, 0);
        return b.toString();
    }

    private void shape(StringBuilder b, int depth) {
        b.append("  ".repeat(depth));
        if (children == null) {
            // A scalar's type; a nil aggregate keeps its header ("*-1") since that is all it is.
            b.append(AGGREGATES.indexOf(kind) >= 0 || text.startsWith("$-1") ? text.trim() : String.valueOf(kind)).append('\n');
            return;
        }
        b.append(kind).append(children.size()).append('\n');
        boolean keyed = kind == '%' || kind == '|';
        for (int i = 0; i < children.size(); i++) {
            RespTree c = children.get(i);
            if (keyed && i % 2 == 0 && c.children == null) b.append("  ".repeat(depth + 1)).append(c.text.trim().replace("\r\n", " ")).append('\n');
            else c.shape(b, depth + 1);
        }
    }

    /**
     * The reply with every aggregate's elements sorted (a map's or attribute's by key, pairs kept together), so two
     * replies that hold the same values in a different hash-table order have one canonical form.
     */
    public RespTree canonical() {
        if (children == null) return this;
        List<RespTree> sorted = new ArrayList<>();
        if (kind == '%' || kind == '|') {
            List<RespTree[]> pairs = new ArrayList<>();
            for (int i = 0; i < children.size(); i += 2) {
                pairs.add(new RespTree[] {children.get(i).canonical(), children.get(i + 1).canonical()});
            }
            pairs.sort(Comparator.comparing((RespTree[] p) -> p[0].encode()).thenComparing(p -> p[1].encode()));
            for (RespTree[] p : pairs) sorted.addAll(List.of(p));
        } else {
            for (RespTree c : children) sorted.add(c.canonical());
            sorted.sort(Comparator.comparing(RespTree::encode));
        }
        return new RespTree(kind, null, sorted);
    }

    @Override
    public String toString() {
        return encode();
    }
}
