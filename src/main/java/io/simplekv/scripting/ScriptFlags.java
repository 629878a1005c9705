package io.simplekv.scripting;

import io.simplekv.text.ArgSplitter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A script's flags from its shebang line ({@code #!lua flags=no-writes,allow-oom}), as Redis's
 * evalExtractShebangFlags reads them. A script without a shebang runs in EVAL's compatibility mode, where the
 * flags of the command (EVAL's write, deny-oom) apply instead.
 *
 * @param shebangLength bytes to skip when compiling (the line feed stays, so line numbers don't move)
 */
public record ScriptFlags(boolean compat, boolean noWrites, boolean allowOom, boolean allowStale, boolean noCluster,
                          boolean allowCrossSlot, int shebangLength) {
    public static final ScriptFlags COMPAT = new ScriptFlags(true, false, false, false, false, false, 0);

    /** Thrown with Redis's text ("Unexpected flag in script shebang: x") for a shebang that can't be read. */
    public static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public static ScriptFlags parse(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') return COMPAT;
        int end = -1;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) throw new Invalid("Invalid script shebang");
        List<byte[]> words = ArgSplitter.split(Arrays.copyOf(body, end));
        if (words == null || words.isEmpty()) throw new Invalid("Invalid engine in script shebang");
        List<String> parts = words.stream().map(w -> new String(w, StandardCharsets.ISO_8859_1)).toList();
        if (!parts.get(0).equals("#!lua")) throw new Invalid("Unexpected engine in script shebang: " + parts.get(0));
        boolean noWrites = false, allowOom = false, allowStale = false, noCluster = false, crossSlot = false;
        for (String part : parts.subList(1, parts.size())) {
            if (!part.startsWith("flags=")) throw new Invalid("Unknown lua shebang option: " + part);
            String list = part.substring(6);
            for (String flag : list.isEmpty() ? new String[0] : list.split(",", -1)) {
                switch (flag) {
                    case "no-writes" -> noWrites = true;
                    case "allow-oom" -> allowOom = true;
                    case "allow-stale" -> allowStale = true;
                    case "no-cluster" -> noCluster = true;
                    case "allow-cross-slot-keys" -> crossSlot = true;
                    default -> throw new Invalid("Unexpected flag in script shebang: " + flag);
                }
            }
        }
        return new ScriptFlags(false, noWrites, allowOom, allowStale, noCluster, crossSlot, end);
    }
}
