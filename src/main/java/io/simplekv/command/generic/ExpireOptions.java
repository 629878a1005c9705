package io.simplekv.command.generic;

import io.simplekv.command.Args;
import io.simplekv.keyspace.Records;
import io.simplekv.protocol.RedisError;

/**
 * The options SET and GETEX share, parsed as Redis's parseExtendedStringArgumentsOrReply does: every option is
 * checked for conflicts first (syntax error), and only then is the expire value read and range-checked.
 */
public final class ExpireOptions {
    public boolean nx, xx, get, keepTtl, persist, hasExpire;
    public long expireAt = Records.NO_EXPIRY;

    public static ExpireOptions parse(byte[][] a, int from, boolean forSet, String command) {
        ExpireOptions o = new ExpireOptions();
        byte[] expireArg = null;
        boolean seconds = false, relative = false;
        for (int i = from; i < a.length; i++) {
            byte[] opt = a[i];
            boolean hasNext = i + 1 < a.length;
            boolean ttlKind = Args.is(opt, "EX") || Args.is(opt, "PX") || Args.is(opt, "EXAT") || Args.is(opt, "PXAT");
            if (forSet && Args.is(opt, "NX") && !o.xx) {
                o.nx = true;
            } else if (forSet && Args.is(opt, "XX") && !o.nx) {
                o.xx = true;
            } else if (forSet && Args.is(opt, "GET")) {
                o.get = true;
            } else if (forSet && Args.is(opt, "KEEPTTL") && expireArg == null) {
                o.keepTtl = true;
            } else if (!forSet && Args.is(opt, "PERSIST") && expireArg == null) {
                o.persist = true;
            } else if (ttlKind && hasNext && !o.keepTtl && !o.persist
                    && (expireArg == null || Args.is(opt, seconds ? (relative ? "EX" : "EXAT") : (relative ? "PX" : "PXAT")))) {
                seconds = Args.is(opt, "EX") || Args.is(opt, "EXAT");
                relative = Args.is(opt, "EX") || Args.is(opt, "PX");
                expireArg = a[++i];
            } else {
                throw RedisError.SYNTAX;
            }
        }
        if (expireArg != null) {
            o.hasExpire = true;
            o.expireAt = Expiry.absolute(expireArg, seconds ? Expiry.Unit.SECONDS : Expiry.Unit.MILLISECONDS,
                    relative, command, false);
        }
        return o;
    }
}
