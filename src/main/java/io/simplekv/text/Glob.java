package io.simplekv.text;

/**
 * Redis's glob rules (stringmatchlen): {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]}, {@code \} escapes.
 * Used by KEYS, SCAN MATCH, CONFIG GET and pub/sub patterns, so they all agree byte for byte.
 */
public final class Glob {
    private Glob() {}

    public static boolean matches(byte[] pattern, byte[] text) {
        return matches(pattern, 0, text, 0, false, 0, new boolean[1]);
    }

    public static boolean matchesIgnoreCase(byte[] pattern, byte[] text) {
        return matches(pattern, 0, text, 0, true, 0, new boolean[1]);
    }

    /** True when the pattern is "*", which lets KEYS and SCAN skip matching altogether. */
    public static boolean matchesEverything(byte[] pattern) {
        return pattern.length == 1 && pattern[0] == '*';
    }

    /**
     * @param skipLonger set once the rest of the pattern after a '*' matched nowhere in the remaining text: then
     *                   no earlier '*' can succeed by matching more, so every caller gives up at once. Without this
     *                   cut-off a pattern of n stars costs O(len^n), which Redis fixed the same way.
     */
    private static boolean matches(byte[] p, int pi, byte[] s, int si, boolean nocase, int depth, boolean[] skipLonger) {
        // Redis caps recursion the same way, so a hostile pattern cannot blow the stack.
        if (depth > 1000) return false;
        while (pi < p.length && si < s.length) {
            byte pc = p[pi];
            switch (pc) {
                case '*' -> {
                    while (pi + 1 < p.length && p[pi + 1] == '*') pi++;
                    if (pi + 1 == p.length) return true;
                    for (int k = si; k < s.length; k++) {
                        if (matches(p, pi + 1, s, k, nocase, depth + 1, skipLonger)) return true;
                        if (skipLonger[0]) return false;
                    }
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> { si++; pi++; }
                case '[' -> {
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) pi++;
                    boolean match = false;
                    while (true) {
                        if (pi >= p.length) { pi--; break; }
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            if (eq(p[pi], s[si], nocase)) match = true;
                        } else if (p[pi] == ']') {
                            break;
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int start = p[pi] & 0xff, end = p[pi + 2] & 0xff, c = s[si] & 0xff;
                            if (start > end) { int t = start; start = end; end = t; }
                            if (nocase) { start = lower(start); end = lower(end); c = lower(c); }
                            pi += 2;
                            if (c >= start && c <= end) match = true;
                        } else if (eq(p[pi], s[si], nocase)) {
                            match = true;
                        }
                        pi++;
                    }
                    if (not) match = !match;
                    if (!match) return false;
                    si++;
                    pi++;
                }
                case '\\' -> {
                    if (pi + 1 < p.length) pi++;
                    if (!eq(p[pi], s[si], nocase)) return false;
                    si++; pi++;
                }
                default -> {
                    if (!eq(pc, s[si], nocase)) return false;
                    si++; pi++;
                }
            }
        }
        while (pi < p.length && p[pi] == '*') pi++;
        return pi == p.length && si == s.length;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        return a == b || (nocase && lower(a & 0xff) == lower(b & 0xff));
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
