package io.simplekv.command.generic;

import io.simplekv.command.Args;
import io.simplekv.keyspace.Database;
import io.simplekv.protocol.RedisError;

/** Turns EX/PX/EXAT/PXAT arguments into an absolute ms time, with Redis's range checks and error text. */
public final class Expiry {
    private Expiry() {}

    public enum Unit { SECONDS, MILLISECONDS }

    /**
     * @param relative true for EX/PX (added to now), false for EXAT/PXAT
     * @param allowNonPositive EXPIRE accepts 0 and negatives (the key is deleted); SET and GETEX do not
     */
    public static long absolute(byte[] arg, Unit unit, boolean relative, String command, boolean allowNonPositive) {
        long v = Args.toLong(arg);
        if (!allowNonPositive && v <= 0) throw invalid(command);
        if (unit == Unit.SECONDS) {
            if (v > Long.MAX_VALUE / 1000 || v < Long.MIN_VALUE / 1000) throw invalid(command);
            v *= 1000;
        }
        if (relative) {
            long now = Database.now();
            if (v > 0 && v > Long.MAX_VALUE - now) throw invalid(command);
            v += now;
        }
        return v;
    }

    public static RedisError invalid(String command) {
        return RedisError.err("invalid expire time in '" + command + "' command");
    }
}
