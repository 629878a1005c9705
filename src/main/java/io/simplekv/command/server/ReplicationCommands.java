package io.simplekv.command.server;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.ExecutionTrait;
import io.simplekv.command.ServerContext;
import io.simplekv.command.Session;
import io.simplekv.replication.ReplicationFeed;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static io.simplekv.command.CommandSpec.command;

/**
 * A master's side of replication: SYNC and PSYNC (always a full resynchronization: the RDB, then the replication
 * stream), REPLCONF, ROLE and WAIT. simplekv is never a replica itself (REPLICAOF is not offered).
 */
public final class ReplicationCommands {
    private ReplicationCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("role", ReplicationCommands::role));
        t.add(command("wait", ReplicationCommands::waitForReplicas));
        // Every shard held: the snapshot is one point in time, and the replica is attached before anything else runs.
        t.add(command("sync", ReplicationCommands::sync).traits(ExecutionTrait.LOCK_ALL));
        t.add(command("psync", ReplicationCommands::psync).traits(ExecutionTrait.LOCK_ALL));
        t.add(command("replconf", ReplicationCommands::replconf));
        t.add(command("replicaof", ReplicationCommands::replicaof));
        t.add(command("slaveof", ReplicationCommands::replicaof));
    }

    /** A master, its replication offset, and no replica listed (their listening ports are not kept); or a replica. */
    static void role(Session c, byte[][] a, ReplySink out) {
        MasterLink link = c.server().masterLink();
        if (link != null) {
            out.array(5);
            out.bulk("slave");
            out.bulk(link.host());
            out.integer(link.port());
            out.bulk(link.state().name().toLowerCase(Locale.ROOT));
            out.integer(link.offset());
            return;
        }
        out.array(3);
        out.bulk("master");
        out.integer(c.server().replication().offset());
        out.array(0);
    }

    /** SYNC (Redis's old protocol, which redis-cli --replica and Redis's tests use): {@code $<length>}, the RDB, the stream. */
    static void sync(Session c, byte[][] a, ReplySink out) {
        if (c.replica() != null) return; // Redis ignores SYNC from a client that is already a replica
        attach(c, out);
    }

    /** PSYNC replid offset: never a partial resynchronization, so always +FULLRESYNC and the RDB. */
    static void psync(Session c, byte[][] a, ReplySink out) {
        if (c.replica() != null) return;
        var feed = c.server().replication();
        out.simple("FULLRESYNC " + feed.replId() + " " + feed.offset());
        attach(c, out);
    }

    private static void attach(Session c, ReplySink out) {
        ServerContext server = c.server();
        c.unit().flush(); // a persistent engine's walk sees what this batch staged
        ByteArrayOutputStream rdb = new ByteArrayOutputStream();
        try {
            RdbSnapshot.write(server, rdb);
        } catch (IOException e) {
            throw new RedisError("ERR the RDB snapshot for the replica failed: " + e.getMessage());
        }
        byte[] payload = rdb.toByteArray();
        out.raw(("$" + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.raw(payload); // no CRLF after the payload, as Redis sends it
        c.replyIsPush(); // this reply goes out; the replica's later requests get none, as in Redis
        c.replies(false);
        ReplicationFeed.Replica replica = c::deliver;
        c.replica(replica);
        server.replication().attach(replica);
    }

    /**
     * REPLICAOF host port: follow that master (MasterLink), refusing writes from anyone else meanwhile; REPLICAOF NO
     * ONE: be a master again, keeping the data. Redis's replies, including for the master already followed.
     */
    static void replicaof(Session c, byte[][] a, ReplySink out) {
        ServerContext server = c.server();
        if (Args.is(a[1], "NO") && Args.is(a[2], "ONE")) {
            if (server.masterLink() != null) {
                server.followMaster(null);
                org.slf4j.LoggerFactory.getLogger(ReplicationCommands.class).info("MASTER MODE enabled (user request)");
            }
            out.ok();
            return;
        }
        long port = Args.toLong(a[2]);
        if (port < 0 || port > 65535) throw RedisError.err("Invalid master port");
        String host = Args.text(a[1]);
        MasterLink now = server.masterLink();
        if (now != null && now.host().equalsIgnoreCase(host) && now.port() == port) {
            out.simple("OK Already connected to specified master");
            return;
        }
        server.followMaster(new MasterLink(server, host, (int) port));
        out.ok();
    }

    /**
     * REPLCONF listening-port / ip-address / capa: OK. ACK and GETACK get no reply (Redis answers neither). Anything
     * else is Redis's error.
     */
    static void replconf(Session c, byte[][] a, ReplySink out) {
        if (a.length % 2 == 0) {
            throw new RedisError("ERR syntax error");
        }
        for (int j = 1; j < a.length; j += 2) {
            String option = new String(a[j], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            switch (option) {
                case "listening-port", "ip-address", "capa", "rdb-only", "rdb-filter-only" -> { }
                case "ack", "getack" -> {
                    return; // no reply at all, as Redis
                }
                default -> throw new RedisError("ERR Unrecognized REPLCONF option: " + new String(a[j], StandardCharsets.UTF_8));
            }
        }
        out.ok();
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
