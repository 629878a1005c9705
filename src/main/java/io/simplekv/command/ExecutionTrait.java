package io.simplekv.command;

/** How simplekv runs a command, beyond what Redis's flags say; given when the command is registered. */
public enum ExecutionTrait {
    /** Holds every shard lock while it runs (FLUSHALL, SWAPDB): it touches keys it does not name. */
    LOCK_ALL,
    /**
     * Redis's CMD_PROTECTED (which COMMAND INFO doesn't show): refused unless enable-debug-command allows it, for
     * everyone or, with "local", for loopback clients.
     */
    PROTECTED,
    /** May run while a RESP2 connection is in subscribed mode (Redis hard-codes that list of commands). */
    SUBSCRIBED_OK,
    /** Runs Lua (EVAL, EVALSHA, FCALL, FUNCTION LOAD...): on the script thread, never on an event loop. */
    RUNS_SCRIPT,
    /** Runs at once even inside MULTI (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET), as Redis does. */
    NOT_QUEUED,
    /**
     * Redis's CMD_TOUCHES_ARBITRARY_KEYS (SCAN, RANDOMKEY): the keys it expires on the way are propagated as
     * separate DELs, never wrapped in MULTI/EXEC.
     */
    TOUCHES_ARBITRARY_KEYS
}
