package io.simplekv.command;

import java.util.Locale;

/**
 * Redis 7.0's command flags, in the order COMMAND INFO lists them (the enum's order is the reply's order).
 * may_replicate, sentinel, only_sentinel, protected and touches_arbitrary_keys exist in Redis too but COMMAND INFO
 * hides them, so the recorded catalog cannot know them and they are left out.
 */
public enum CommandFlag {
    WRITE,
    READONLY,
    DENYOOM,
    MODULE,
    ADMIN,
    PUBSUB,
    NOSCRIPT,
    BLOCKING,
    LOADING,
    STALE,
    SKIP_MONITOR,
    SKIP_SLOWLOG,
    ASKING,
    FAST,
    NO_AUTH,
    NO_MANDATORY_KEYS,
    NO_ASYNC_LOADING,
    NO_MULTI,
    MOVABLEKEYS,
    ALLOW_BUSY;

    /** The name COMMAND INFO shows ("skip_slowlog"). */
    public final String redisName = name().toLowerCase(Locale.ROOT);

    static CommandFlag of(String redisName) {
        return valueOf(redisName.toUpperCase(Locale.ROOT));
    }
}
