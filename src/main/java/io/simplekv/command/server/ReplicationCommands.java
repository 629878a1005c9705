package io.simplekv.command.server;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Session;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import static io.simplekv.command.CommandSpec.command;

/** ROLE and WAIT, as a Redis master without replicas answers them (replication is not built). */
public final class ReplicationCommands {
    private ReplicationCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("role", ReplicationCommands::role));
        t.add(command("wait", ReplicationCommands::waitForReplicas));
    }

    /** A master at replication offset 0 with no replicas. */
    static void role(Session c, byte[][] a, ReplySink out) {
        out.array(3);
        out.bulk("master");
        out.integer(0);
        out.array(0);
    }

    /**
     * WAIT numreplicas timeout (Redis's waitCommand): no replica acknowledges anything, so asking for none answers 0
     * at once, and asking for more waits out the timeout in milliseconds (0: forever) and then answers 0.
     */
    static void waitForReplicas(Session c, byte[][] a, ReplySink out) {
        long wanted = Args.toLong(a[1]);
        long timeout = io.simplekv.command.BlockingPops.timeoutMillis(a[2]);
        if (wanted <= 0 || c.denyBlocking()) {
            out.integer(0);
            return;
        }
        c.server().waits().awaitReplicas(c, a, timeout);
    }
}
