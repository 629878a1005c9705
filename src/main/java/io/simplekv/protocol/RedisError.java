package io.simplekv.protocol;

/**
 * An error reply: the message is the whole line after '-', prefix included ("ERR ...", "WRONGTYPE ...").
 * Stackless, because it reports a client's mistake, not a server fault, and is thrown on hot paths.
 */
public final class RedisError extends RuntimeException {

    public static final RedisError WRONGTYPE =
            new RedisError("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static final RedisError NOT_INTEGER = new RedisError("ERR value is not an integer or out of range");
    public static final RedisError NOT_FLOAT = new RedisError("ERR value is not a valid float");
    public static final RedisError SYNTAX = new RedisError("ERR syntax error");
    public static final RedisError OVERFLOW = new RedisError("ERR increment or decrement would overflow");
    public static final RedisError NO_SUCH_KEY = new RedisError("ERR no such key");
    public static final RedisError DB_INDEX = new RedisError("ERR DB index is out of range");

    /** The error stats already have it: a script passing on the error of a redis.call that failed. */
    private final boolean counted;

    public RedisError(String message) {
        this(message, false);
    }

    private RedisError(String message, boolean counted) {
        super(message, null, false, false);
        this.counted = counted;
    }

    /** A script's error reply; the command fails either way, but only an error not counted before is counted. */
    public static RedisError fromScript(String message, boolean alreadyCounted) {
        return new RedisError(message, alreadyCounted);
    }

    public boolean counted() {
        return counted;
    }

    public static RedisError err(String text) {
        return new RedisError("ERR " + text);
    }
}
