package io.simplekv.command.scripting;

import io.simplekv.command.Session;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.scripting.Replies;
import io.simplekv.scripting.Reply;
import io.simplekv.scripting.ScriptHost;
import io.simplekv.scripting.ScriptRun;
import io.simplekv.scripting.Scripts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * What a running script's redis.call does here: its commands go through the command service on the script client
 * (Redis's lua client: the caller's database, RESP2 until redis.setresp), inside the caller's unit of work.
 */
final class ScriptCalls implements ScriptHost {
    private static final Logger log = LoggerFactory.getLogger("io.simplekv.scripting.lua");

    private final Session caller;
    private final Session client;
    private final ScriptRun run;

    private ScriptCalls(Session caller, ScriptRun run) {
        this.caller = caller;
        this.run = run;
        this.client = caller.server().scriptClient();
        client.select(caller.dbIndex());
    }

    /** Runs {@code body} as the running script of the server: SCRIPT KILL and the BUSY checks see it meanwhile. */
    static Reply run(Session caller, ScriptRun run, Function<ScriptHost, Reply> body) {
        Scripts scripts = caller.server().scripts();
        scripts.begin(run);
        try {
            return body.apply(new ScriptCalls(caller, run));
        } finally {
            scripts.end();
        }
    }

    /**
     * A script's result as the command's reply. An error fails the command (failed_calls) and counts in the error
     * stats, unless it is a redis.call error passed on as it was, which the stats counted when that call failed.
     */
    static void reply(Reply result, ReplySink out) {
        if (result instanceof Reply.Error e) throw RedisError.fromScript(e.text(), e.counted());
        Replies.write(result, out);
    }

    @Override
    public Reply call(byte[][] args) {
        client.protocolVersion(run.resp());
        return caller.server().service().callFromScript(caller, client, run, args);
    }

    @Override
    public Boolean aclPermits(byte[][] args) {
        return caller.server().service().permits(caller, args);
    }

    @Override
    public boolean setResp(int version) {
        if (version != 2 && version != 3) return false;
        run.resp(version);
        return true;
    }

    @Override
    public void log(int level, String message) {
        switch (level) {
            case 0 -> log.debug(message);
            case 1 -> log.debug(message);
            case 2 -> log.info(message);
            default -> log.warn(message);
        }
    }

    @Override
    public boolean killRequested() {
        caller.server().scripts().wakeDeferred(); // the hook's poll: this script runs long, earlier replies go now
        return run.killRequested();
    }

    @Override
    public int resp() {
        return run.resp();
    }
}
