package io.simplekv.command;

/** Redis's command flags as reported by COMMAND INFO, plus the flags that are ours (redisName null). */
public enum CommandFlag {
    WRITE("write"),
    READONLY("readonly"),
    DENYOOM("denyoom"),
    ADMIN("admin"),
    PUBSUB("pubsub"),
    NOSCRIPT("noscript"),
    BLOCKING("blocking"),
    LOADING("loading"),
    STALE("stale"),
    SKIP_MONITOR("skip_monitor"),
    SKIP_SLOWLOG("skip_slowlog"),
    FAST("fast"),
    NO_AUTH("no_auth"),
    ALLOW_BUSY("allow_busy"),
    NO_MULTI("no_multi"),
    LOCK_ALL(null),
    /**
     * Ours (Redis's CMD_PROTECTED, which COMMAND INFO doesn't show): refused unless enable-debug-command allows it,
     * for everyone or, with "local", for loopback clients.
     */
    PROTECTED(null),
    /** Ours: may run while a RESP2 connection is in subscribed mode (Redis hard-codes that list of commands). */
    SUBSCRIBED_OK(null),
    /** Ours: runs at once even inside MULTI (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET), as Redis does. */
    NOT_QUEUED(null),
    /**
     * Ours: the command's keyspace notifications name every key it changes, on every path, so WATCH learns of its
     * changes from them (Notify) and a write that changes nothing (SADD of a member already there, SMOVE to a set
     * that has the member) leaves watchers alone, as Redis's signalModifiedKey does. Without it, WATCH counts every
     * key a write command names as changed.
     */
    CHANGES_NOTIFIED(null);

    /** The name COMMAND INFO shows, or null for flags that are ours alone. */
    public final String redisName;

    CommandFlag(String redisName) {
        this.redisName = redisName;
    }
}
