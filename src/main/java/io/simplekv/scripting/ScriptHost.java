package io.simplekv.scripting;

/** What the Java side of a script's {@code redis} table does: supplied by whoever runs the script. */
public interface ScriptHost {
    /** redis.call / redis.pcall: runs a command for the script and returns its reply. */
    Reply call(byte[][] args);

    /** redis.setresp; false for a version other than 2 or 3. */
    boolean setResp(int version);

    /** redis.log at a level (0 debug .. 3 warning). */
    void log(int level, String message);

    /** Polled by the instruction hook: true once the running script must stop. */
    boolean killRequested();

    /** The error a stopped script gets (null: SCRIPT KILL's). */
    default String killMessage() {
        return null;
    }

    /**
     * redis.acl_check_cmd: whether the script's caller may run this command with these arguments (null: no such
     * command). A host that runs no script (a library loading) throws IllegalStateException.
     */
    default Boolean aclPermits(byte[][] args) {
        throw new IllegalStateException("not inside a script invocation");
    }

    /** The protocol the script's redis.call replies are converted for (redis.setresp). */
    int resp();
}
