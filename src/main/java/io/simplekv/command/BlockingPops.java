package io.simplekv.command;

import io.simplekv.keyspace.KeyType;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.RedisNumbers;

import java.util.Arrays;

/**
 * What the blocking pops of lists and sorted sets share: try every key at once like the non-blocking command; if
 * all are empty, park the client (Waits), whose command runs again when one of its keys gets data. Inside EXEC
 * they never wait (Redis's CLIENT_DENY_BLOCKING): an empty key answers nil.
 */
public final class BlockingPops {
    private BlockingPops() {}

    /** One pop from one key, writing the reply; false (nothing written) when the key holds nothing to pop. */
    public interface OnePop {
        boolean pop(Session c, byte[] key, ReplySink out);
    }

    /** One key's part of a multi-pop: false (nothing written) when the key has nothing to pop. */
    public interface KeyPop {
        boolean pop(Session c, byte[] key, MultiPop p, ReplySink out);
    }

    /** BLPOP, BRPOP, BZPOPMIN, BZPOPMAX: keys then a timeout; the first key with something to pop answers. */
    public static void popOne(Session c, byte[][] a, ReplySink out, KeyType type, OnePop pop) {
        long timeout = timeout(a[a.length - 1]);
        for (int i = 1; i < a.length - 1; i++) {
            if (pop.pop(c, a[i], out)) return;
        }
        if (c.denyBlocking()) {
            out.nullArray();
            return;
        }
        c.server().waits().block(c, a, Arrays.asList(a).subList(1, a.length - 1), type, timeout);
    }

    /** BLMPOP and BZMPOP: timeout numkeys key... side [COUNT n]; the first key with something to pop answers. */
    public static void multiPop(Session c, byte[][] a, ReplySink out, KeyType type, String firstWord, String secondWord,
                                KeyPop keyPop) {
        MultiPop p = MultiPop.parse(a, 2, firstWord, secondWord);
        long timeout = timeout(a[1]);
        for (int i = p.firstKey(); i < p.endKey(); i++) {
            if (keyPop.pop(c, a[i], p, out)) return;
        }
        if (c.denyBlocking()) {
            out.nullArray();
            return;
        }
        c.server().waits().block(c, a, p.keys(a), type, timeout);
    }

    /** Redis's getTimeoutFromObjectOrReply in milliseconds (WAIT, CLIENT PAUSE): an integer, never negative. */
    public static long timeoutMillis(byte[] arg) {
        long ms;
        try {
            ms = Args.toLong(arg);
        } catch (RedisError e) {
            throw RedisError.err("timeout is not an integer or out of range");
        }
        if (ms < 0) throw RedisError.err("timeout is negative");
        return ms;
    }

    /** Redis's getTimeoutFromObjectOrReply in seconds: a float, rounded up to milliseconds; 0 waits forever. */
    public static long timeout(byte[] arg) {
        double seconds = RedisNumbers.parseDouble(arg);
        if (Double.isNaN(seconds)) throw RedisError.err("timeout is not a float or out of range");
        double ms = Math.ceil(seconds * 1000.0);
        // C's (long long) of an out-of-range value is LLONG_MIN on x86, which Redis then reports as negative.
        if (ms < 0 || ms >= 0x1p63) throw RedisError.err("timeout is negative");
        return (long) ms;
    }
}
