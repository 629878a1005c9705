package io.simplekv.support;

import java.util.ArrayList;
import java.util.List;

/**
 * A RESP2 reply as a tree that writes back to exactly the text it was read from, so a test can drop or reorder
 * parts of a recorded reply (the subcommands Redis lists in random order) and still compare byte for byte.
 * Arrays and nil are nodes with kind '*' (children, or none when nil); other values keep their whole text.
 */
public final class RespTree {
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
        return new RespTree('*', null, new ArrayList<>(children));
    }

    public static RespTree parse(String reply) {
        int[] pos = {0};
        RespTree t = read(reply, pos);
        if (pos[0] != reply.length()) throw new IllegalArgumentException("trailing bytes at " + pos[0]);
        return t;
    }

    private static RespTree read(String s, int[] pos) {
        int start = pos[0];
        int eol = s.indexOf("\r\n", start);
        char kind = s.charAt(start);
        long n = kind == '*' || kind == '$' ? Long.parseLong(s.substring(start + 1, eol)) : 0;
        pos[0] = eol + 2;
        if (kind == '*') {
            if (n < 0) return new RespTree('*', s.substring(start, pos[0]), null);
            List<RespTree> children = new ArrayList<>();
            for (long i = 0; i < n; i++) children.add(read(s, pos));
            return new RespTree('*', null, children);
        }
        if (kind == '$' && n >= 0) pos[0] += (int) n + 2;
        return new RespTree(kind, s.substring(start, pos[0]), null);
    }

    /** A bulk or simple string's value. */
    public String string() {
        if (kind == '$') return text.substring(text.indexOf("\r\n") + 2, text.length() - 2);
        if (kind == '+') return text.substring(1, text.length() - 2);
        throw new IllegalStateException("not a string: " + this);
    }

    public String encode() {
        if (text != null) return text;
        StringBuilder b = new StringBuilder("*").append(children.size()).append("\r\n");
        for (RespTree c : children) b.append(c.encode());
        return b.toString();
    }

    @Override
    public String toString() {
        return encode();
    }
}
