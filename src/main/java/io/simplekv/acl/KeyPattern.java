package io.simplekv.acl;

import io.simplekv.text.Glob;

import java.nio.charset.StandardCharsets;

/** One key pattern of a selector and what it grants: read (%R~), write (%W~) or both (~). Immutable. */
public final class KeyPattern {
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int ALL = READ | WRITE;

    private final String pattern;
    private final byte[] bytes;
    private final int permissions;

    KeyPattern(String pattern, int permissions) {
        this.pattern = pattern;
        this.bytes = pattern.getBytes(StandardCharsets.ISO_8859_1);
        this.permissions = permissions;
    }

    public String pattern() {
        return pattern;
    }

    public int permissions() {
        return permissions;
    }

    KeyPattern widen(int more) {
        return new KeyPattern(pattern, permissions | more);
    }

    /** Whether this pattern grants every permission in {@code needed} on {@code key}. */
    boolean grants(byte[] key, int needed) {
        return (permissions & needed) == needed && Glob.matches(bytes, key);
    }

    /** As ACL LIST and GETUSER show it: "~p", "%R~p" or "%W~p". */
    public String describe() {
        String prefix = switch (permissions) {
            case ALL -> "~";
            case READ -> "%R~";
            default -> "%W~";
        };
        return prefix + pattern;
    }
}
