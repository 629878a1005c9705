package io.simplekv.scripting;

/**
 * One running script (Redis's scriptRunCtx): how it runs and what it did so far. Made and changed on the script
 * thread; read by event loops deciding whether to answer BUSY, and by SCRIPT KILL / FUNCTION KILL.
 */
public final class ScriptRun {
    private final String name;
    private final boolean eval;
    private final boolean readOnly;
    private final boolean allowOom;
    private final byte[][] command;
    private final long startNanos = System.nanoTime();
    private volatile boolean killRequested;
    private volatile boolean wrote;
    private int resp = 2;

    /**
     * @param name     the script's SHA1 or the function's name, for error messages and the log
     * @param eval     EVAL/EVALSHA (SCRIPT KILL may stop it) rather than FCALL (FUNCTION KILL)
     * @param readOnly EVAL_RO/FCALL_RO or a no-writes script: write commands are refused
     * @param command  the EVAL or FCALL request
     */
    public ScriptRun(String name, boolean eval, boolean readOnly, boolean allowOom, byte[][] command) {
        this.name = name;
        this.command = command;
        this.eval = eval;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
    }

    public String name() { return name; }
    /** The command that started it, as FUNCTION STATS shows it. */
    public byte[][] command() { return command; }
    public boolean eval() { return eval; }
    public boolean readOnly() { return readOnly; }
    public boolean allowOom() { return allowOom; }
    public long elapsedMillis() { return (System.nanoTime() - startNanos) / 1_000_000; }
    public boolean killRequested() { return killRequested; }
    void requestKill() { killRequested = true; }
    /** Whether the script called a write command (Redis's SCRIPT_WRITE_DIRTY): it can no longer be killed. */
    public boolean wrote() { return wrote; }
    public void markWrote() { wrote = true; }
    /** The protocol its redis.call replies are given in (redis.setresp); 2 at the start, as in Redis. */
    public int resp() { return resp; }
    public void resp(int version) { resp = version; }
}
