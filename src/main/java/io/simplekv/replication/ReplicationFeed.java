package io.simplekv.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.simplekv.protocol.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The replication stream, as Redis's master feeds its replicas: every change a command made, as the command (or its
 * rewrite) that makes the same change again, preceded by SELECT when the database differs from the stream's last.
 * What one top-level call (a command, an EXEC, a script, a served blocked client) propagates is collected on its
 * thread ({@link Call}) and sent when it ends, inside MULTI/EXEC when there is more than one command, as Redis's
 * propagatePendingCommands. An expiry outside any call (the active expirer) is sent at once.
 *
 * <p>Costs nothing while no replica is attached: callers test {@link #active()} first. A call is collected while
 * its unit of work holds its shards and sent before they are released, so the stream's order agrees with the order
 * in which commands changed each key.
 */
public final class ReplicationFeed {
    private static final byte[] SELECT = bytes("SELECT");
    private static final byte[][] MULTI = {bytes("MULTI")};
    private static final byte[][] EXEC = {bytes("EXEC")};
    private static final byte[][] PING = {bytes("PING")};

    /** Where the stream goes: a replica's connection. */
    public interface Replica {
        /** Writes these bytes after everything fed before; takes ownership of the buffer. */
        void feed(ByteBuf bytes);
    }

    /** What one top-level call has to propagate so far (one per thread; a thread runs one call at a time). */
    public static final class Call {
        private int depth;
        private long dirty;
        private final List<Op> ops = new ArrayList<>();

        /** Changes made on this thread so far: a command changed data if this moved while it ran. */
        public long dirty() {
            return dirty;
        }
    }

    private record Op(int db, byte[][] argv) {}

    private final ByteBufAllocator alloc;
    private final List<Replica> replicas = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Call> calls = ThreadLocal.withInitial(Call::new);
    private final String replId;
    private volatile boolean active;
    /** The database the stream last selected (-1: none yet, as for a replica just attached). */
    private int selected = -1;
    /** Redis's master_repl_offset: the bytes fed so far. */
    private long offset;

    public ReplicationFeed(ByteBufAllocator alloc, String replId) {
        this.alloc = alloc;
        this.replId = replId;
    }

    public boolean active() {
        return active;
    }

    public String replId() {
        return replId;
    }

    public synchronized long offset() {
        return offset;
    }

    public int replicas() {
        return replicas.size();
    }

    /**
     * A replica joins: everything fed from now on follows the snapshot it was just given (its SYNC reply). The
     * caller holds every shard, so no command runs between that snapshot and this.
     */
    public synchronized void attach(Replica replica) {
        replicas.add(replica);
        selected = -1; // Redis's slaveseldb: the new replica must be told the database before the next command
        active = true;
    }

    public synchronized void detach(Replica replica) {
        if (replicas.remove(replica)) active = !replicas.isEmpty();
    }

    // ---- calls ---------------------------------------------------------------------------------------------

    /** A command starts on this thread (nested ones too: EXEC's queued commands, a script's redis.call). */
    public Call enter() {
        Call c = calls.get();
        c.depth++;
        return c;
    }

    /** The command changed data (Redis's server.dirty++), on whatever call this thread runs. */
    public void dirtied() {
        calls.get().dirty++;
    }

    /** The command running on this thread propagates {@code argv} in database {@code db} (Redis's alsoPropagate). */
    public void propagate(int db, byte[][] argv) {
        Call c = calls.get();
        if (c.depth > 0) {
            c.ops.add(new Op(db, argv));
        } else {
            synchronized (this) {
                send(db, argv);
            }
        }
    }

    /**
     * A command ends. The outermost one sends what its call collected: wrapped in MULTI/EXEC when more than one,
     * unless {@code wrap} is false (SCAN and RANDOMKEY, whose lazy expiries Redis sends unwrapped).
     */
    public void exit(Call c, boolean wrap) {
        if (--c.depth > 0 || c.ops.isEmpty()) return;
        synchronized (this) {
            List<Op> ops = c.ops;
            boolean transaction = wrap && ops.size() > 1;
            if (transaction) send(ops.get(0).db, MULTI);
            for (Op op : ops) send(op.db, op.argv);
            if (transaction) send(ops.get(ops.size() - 1).db, EXEC);
        }
        c.ops.clear();
    }

    /** Redis's replicationCron PING, every repl-ping-replica-period seconds, so a replica can tell the link is alive. */
    public synchronized void ping() {
        if (!active) return;
        // Redis sends its PING in the stream's selected database: no SELECT.
        sendBytes(encode(PING));
    }

    // ---- the wire ------------------------------------------------------------------------------------------

    private void send(int db, byte[][] argv) {
        if (!active) return;
        if (db != selected && db >= 0) {
            sendBytes(encode(new byte[][] {SELECT, bytes(Integer.toString(db))}));
            selected = db;
        }
        sendBytes(encode(argv));
    }

    private void sendBytes(ByteBuf buf) {
        offset += buf.readableBytes();
        try {
            for (Replica r : replicas) r.feed(buf.retainedDuplicate());
        } finally {
            buf.release();
        }
    }

    private ByteBuf encode(byte[][] argv) {
        int size = 16;
        for (byte[] a : argv) size += a.length + 16;
        RespWriter w = new RespWriter(alloc.buffer(size));
        w.array(argv.length);
        for (byte[] a : argv) w.bulk(a);
        return w.buffer();
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
