package io.simplekv.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a redis.io argument line ("key value [NX | XX] [EX seconds | PX milliseconds]") into the argument
 * tree COMMAND DOCS reports: UPPERCASE words are tokens, "TOKEN name" pairs become a named argument with that
 * token, "[...]" is optional, "a | b" is a oneof, and "x [x ...]" is one argument flagged multiple.
 */
final class SyntaxArguments {

    /** One node of Redis's argument tree; type is key, string, integer, double, pattern, pure-token, oneof or block. */
    record Arg(String name, String type, String token, boolean optional, boolean multiple, List<Arg> children) {
        Arg withFlags(boolean opt, boolean mult) {
            return new Arg(name, type, token, opt, mult, children);
        }
    }

    private final List<String> tokens;
    private int pos;

    private SyntaxArguments(String syntax) {
        this.tokens = tokenize(syntax);
    }

    static List<Arg> parse(String syntax) {
        if (syntax == null || syntax.isBlank()) return List.of();
        SyntaxArguments p = new SyntaxArguments(syntax);
        return p.sequence();
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch == '[' || ch == ']' || ch == '|') {
                flush(cur, out);
                out.add(String.valueOf(ch));
            } else if (Character.isWhitespace(ch)) {
                flush(cur, out);
            } else {
                cur.append(ch);
            }
        }
        flush(cur, out);
        return out;
    }

    private static void flush(StringBuilder cur, List<String> out) {
        if (cur.length() > 0) {
            out.add(cur.toString());
            cur.setLength(0);
        }
    }

    private boolean at(String t) {
        return pos < tokens.size() && tokens.get(pos).equals(t);
    }

    /** Items up to a closing ']' or '|' or the end. */
    private List<Arg> sequence() {
        List<Arg> items = new ArrayList<>();
        while (pos < tokens.size() && !at("]") && !at("|")) {
            if (at("[")) {
                pos++;
                List<List<Arg>> alternatives = alternatives();
                if (at("]")) pos++;
                Arg group = group(alternatives, true);
                // "x [x ...]": the bracket repeats the item before it, so that item becomes "multiple".
                if (group == null) {
                    Arg prev = items.remove(items.size() - 1);
                    items.add(prev.withFlags(prev.optional(), true));
                } else {
                    items.add(group);
                }
            } else if (at("...")) {
                pos++;
                if (!items.isEmpty()) {
                    Arg prev = items.remove(items.size() - 1);
                    items.add(prev.withFlags(prev.optional(), true));
                }
            } else {
                items.add(word());
            }
        }
        return items;
    }

    private List<List<Arg>> alternatives() {
        List<List<Arg>> alts = new ArrayList<>();
        alts.add(sequence());
        while (at("|")) {
            pos++;
            alts.add(sequence());
        }
        return alts;
    }

    /** Builds the node for a bracketed group, or null when the group only repeats the previous item. */
    private Arg group(List<List<Arg>> alts, boolean optional) {
        if (alts.size() == 1) {
            List<Arg> seq = alts.get(0);
            boolean repeats = !seq.isEmpty() && seq.get(seq.size() - 1).multiple();
            if (repeats && seq.size() == 1) return null;
            if (seq.size() == 1) return seq.get(0).withFlags(optional, seq.get(0).multiple());
            return new Arg(joinNames(seq), "block", null, optional, repeats, strip(seq));
        }
        List<Arg> options = new ArrayList<>();
        for (List<Arg> seq : alts) {
            options.add(seq.size() == 1 ? seq.get(0) : new Arg(joinNames(seq), "block", null, false, false, seq));
        }
        return new Arg(joinNames(options), "oneof", null, optional, false, options);
    }

    private static List<Arg> strip(List<Arg> seq) {
        List<Arg> out = new ArrayList<>();
        for (Arg a : seq) out.add(a.multiple() && a == seq.get(seq.size() - 1) ? a.withFlags(a.optional(), false) : a);
        return out;
    }

    private Arg word() {
        String w = tokens.get(pos++);
        if (isToken(w)) {
            // "EX seconds": a token followed by its value is one argument named after the value.
            if (pos < tokens.size() && !isToken(tokens.get(pos)) && !isPunctuation(tokens.get(pos))) {
                String value = tokens.get(pos++);
                return new Arg(value, typeOf(value), w, false, false, List.of());
            }
            return new Arg(w.toLowerCase(Locale.ROOT), "pure-token", w, false, false, List.of());
        }
        return new Arg(w, typeOf(w), null, false, false, List.of());
    }

    private static boolean isPunctuation(String t) {
        return t.equals("[") || t.equals("]") || t.equals("|") || t.equals("...");
    }

    private static boolean isToken(String w) {
        return !isPunctuation(w) && w.equals(w.toUpperCase(Locale.ROOT)) && w.chars().anyMatch(Character::isLetter);
    }

    private static String typeOf(String name) {
        if (name.equals("key") || name.endsWith("key") || name.equals("source") || name.equals("destination")) return "key";
        if (name.equals("pattern")) return "pattern";
        if (name.contains("seconds") || name.contains("milliseconds") || name.contains("time")) return "unix-time".equals(name) ? "unix-time" : "integer";
        for (String n : List.of("count", "index", "offset", "start", "end", "db", "numkeys", "increment", "decrement", "cursor", "id", "protover")) {
            if (name.equals(n) || name.endsWith("-" + n) || name.startsWith(n)) return "integer";
        }
        return "string";
    }

    private static String joinNames(List<Arg> args) {
        StringBuilder b = new StringBuilder();
        for (Arg a : args) {
            if (b.length() > 0) b.append('-');
            b.append(a.name());
        }
        return b.toString();
    }
}
