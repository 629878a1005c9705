package io.simplekv.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses raw RESP2 reply text (as {@link Wire} returns it) into Java values, for assertions on replies whose
 * order or some of whose values are not fixed (INFO, CONFIG GET, COMMAND, SCAN). Simple and bulk strings become
 * String (a nil bulk null), integers Long, arrays List (a nil array null), errors {@link Error}.
 * Parsing fails unless the text is exactly one whole reply.
 */
public final class RespParser {
    /** An error reply; the message is the line after '-'. */
    public record Error(String message) {}

    private final String s;
    private int pos;

    private RespParser(String s) {
        this.s = s;
    }

    public static Object parse(String reply) {
        RespParser p = new RespParser(reply);
        Object v = p.value();
        if (p.pos != reply.length()) {
            throw new IllegalArgumentException("trailing bytes after one reply at " + p.pos + ": " + reply);
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> array(String reply) {
        Object v = parse(reply);
        if (!(v instanceof List)) throw new IllegalArgumentException("not an array: " + reply);
        return (List<Object>) v;
    }

    /** A flat array of name/value pairs (RESP2 form of a map), keys kept in reply order. */
    public static Map<String, Object> map(String reply) {
        return pairs(array(reply));
    }

    public static Map<String, Object> pairs(List<Object> flat) {
        if (flat.size() % 2 != 0) throw new IllegalArgumentException("odd number of elements: " + flat);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2) {
            if (m.put((String) flat.get(i), flat.get(i + 1)) != null) {
                throw new IllegalArgumentException("duplicate key " + flat.get(i));
            }
        }
        return m;
    }

    private String line() {
        int end = s.indexOf("\r\n", pos);
        if (end < 0) throw new IllegalArgumentException("unterminated line at " + pos + ": " + s);
        String l = s.substring(pos, end);
        pos = end + 2;
        return l;
    }

    private Object value() {
        if (pos >= s.length()) throw new IllegalArgumentException("truncated reply: " + s);
        char type = s.charAt(pos++);
        String l = line();
        switch (type) {
            case '+':
                return l;
            case '-':
                return new Error(l);
            case ':':
                return Long.parseLong(l);
            case '$': {
                int n = Integer.parseInt(l);
                if (n < 0) return null;
                String v = s.substring(pos, pos + n);
                pos += n;
                if (!s.startsWith("\r\n", pos)) throw new IllegalArgumentException("bulk not followed by CRLF: " + s);
                pos += 2;
                return v;
            }
            case '*': {
                int n = Integer.parseInt(l);
                if (n < 0) return null;
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) items.add(value());
                return items;
            }
            default:
                throw new IllegalArgumentException("unknown type '" + type + "' at " + (pos - 1) + ": " + s);
        }
    }
}
