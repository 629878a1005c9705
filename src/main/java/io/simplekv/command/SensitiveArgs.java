package io.simplekv.command;

/**
 * Arguments the slow log and MONITOR must not show, replaced by "(redacted)" as Redis does: passwords of AUTH,
 * HELLO ... AUTH and MIGRATE ... AUTH/AUTH2, and the values of password directives in CONFIG SET.
 */
final class SensitiveArgs {
    private SensitiveArgs() {}

    private static final byte[] REDACTED = Args.bytes("(redacted)");

    /** The arguments as they may be shown: the same array when nothing needs hiding. */
    static byte[][] redacted(byte[][] a) {
        if (Args.is(a[0], "AUTH")) return hide(a, 1, a.length);
        // ACL SETUSER's rules may hold passwords: Redis hides every argument after the subcommand.
        if (Args.is(a[0], "ACL") && a.length > 2 && Args.is(a[1], "SETUSER")) return hide(a, 2, a.length);
        if (Args.is(a[0], "HELLO")) {
            for (int i = 2; i + 2 < a.length; i++) if (Args.is(a[i], "AUTH")) return hide(a, i + 1, i + 3);
        } else if (Args.is(a[0], "MIGRATE")) {
            for (int i = 6; i < a.length; i++) {
                if (Args.is(a[i], "AUTH")) return hide(a, i + 1, i + 2);
                if (Args.is(a[i], "AUTH2")) return hide(a, i + 1, i + 3);
            }
        } else if (Args.is(a[0], "CONFIG") && a.length > 3 && Args.is(a[1], "SET")) {
            byte[][] out = a;
            for (int i = 2; i + 1 < a.length; i += 2) {
                if (Args.is(a[i], "requirepass") || Args.is(a[i], "masterauth")) {
                    if (out == a) out = a.clone();
                    out[i + 1] = REDACTED;
                }
            }
            return out;
        }
        return a;
    }

    private static byte[][] hide(byte[][] a, int from, int to) {
        byte[][] out = a.clone();
        for (int i = from; i < Math.min(to, a.length); i++) out[i] = REDACTED;
        return out;
    }
}
