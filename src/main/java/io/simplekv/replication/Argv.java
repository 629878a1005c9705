package io.simplekv.replication;

import java.nio.charset.StandardCharsets;

/** Builds the argument vectors commands are propagated as (Redis's shared.set, shared.pxat... and friends). */
public final class Argv {
    private Argv() {}

    /** Each part as bytes: a byte[] as it is, a number in decimal, anything else by its text. */
    public static byte[][] of(Object... parts) {
        byte[][] argv = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            Object p = parts[i];
            argv[i] = p instanceof byte[] b ? b : p.toString().getBytes(StandardCharsets.UTF_8);
        }
        return argv;
    }

    /** {@code args} without the arguments at and after {@code from} that equal {@code word} (SET's GET). */
    public static byte[][] without(byte[][] args, int from, String word) {
        java.util.List<byte[]> kept = new java.util.ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++) {
            if (i >= from && new String(args[i], StandardCharsets.ISO_8859_1).equalsIgnoreCase(word)) continue;
            kept.add(args[i]);
        }
        return kept.toArray(new byte[0][]);
    }

    /** {@code args} with argument {@code i} replaced (Redis's rewriteClientCommandArgument). */
    public static byte[][] replace(byte[][] args, int i, Object value) {
        byte[][] copy = args.clone();
        copy[i] = of(value)[0];
        return copy;
    }
}
