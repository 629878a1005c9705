package io.simplekv.command.generic;

import io.netty.buffer.ByteBuf;
import io.simplekv.command.Args;
import io.simplekv.command.Notify;
import io.simplekv.command.Session;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.Records;
import io.simplekv.keyspace.UnitOfWork;
import io.simplekv.protocol.BlockingResp;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.protocol.RespWriter;
import io.simplekv.rdb.DumpPayload;
import io.simplekv.replication.Argv;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password] [AUTH2 username password]
 * [KEYS key...], as Redis's migrateCommand: each key goes as a RESTORE of its DUMP payload with its remaining TTL,
 * after AUTH and SELECT, and leaves this server (unless COPY) once the target said OK.
 *
 * <p>The keys are serialized under the command's locks. The network exchange, bounded by the timeout, runs off the
 * event loop while the client waits, as a blocked client does; a key is then deleted only if it is still what was
 * sent (a write that came in meanwhile keeps it here). Inside MULTI or a script, where nothing may wait, the
 * exchange runs in place, still bounded by the timeout, as Redis always runs it.
 */
public final class Migrate {
    private Migrate() {}

    private record Moved(byte[] key, byte[] payload, long ttl) {}

    private record Request(String host, int port, int db, int timeoutMs, boolean copy, boolean replace,
                           byte[][] auth, List<Moved> keys) {}

    static void migrate(Session c, byte[][] a, ReplySink out) {
        boolean copy = false, replace = false;
        byte[][] auth = null;
        int firstKey = 3, lastKey = 3;
        for (int j = 6; j < a.length; j++) {
            int more = a.length - j - 1;
            if (Args.is(a[j], "COPY")) {
                copy = true;
            } else if (Args.is(a[j], "REPLACE")) {
                replace = true;
            } else if (Args.is(a[j], "AUTH")) {
                if (more == 0) throw RedisError.SYNTAX;
                auth = new byte[][] {Argv.of("AUTH")[0], a[++j]};
            } else if (Args.is(a[j], "AUTH2")) {
                if (more < 2) throw RedisError.SYNTAX;
                auth = new byte[][] {Argv.of("AUTH")[0], a[j + 1], a[j + 2]};
                j += 2;
            } else if (Args.is(a[j], "KEYS")) {
                if (a[3].length != 0) {
                    throw RedisError.err("When using MIGRATE KEYS option, the key argument must be set to the empty string");
                }
                firstKey = j + 1;
                lastKey = a.length - 1;
                break;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        long timeout = Args.toLong(a[5]);
        long db = Args.toLong(a[4]);
        // Redis hands the port to the resolver as text: one that is no port fails there, when it first writes.
        long port;
        try {
            port = Args.toLong(a[2]);
        } catch (RedisError notANumber) {
            port = -1;
        }
        if (timeout <= 0) timeout = 1000;
        Database here = c.db();
        List<Moved> moved = new ArrayList<>();
        long now = Database.now();
        for (int j = firstKey; j <= lastKey; j++) {
            byte[] rec = here.lookup(a[j]);
            if (rec == null) continue;
            long at = Records.expireAt(rec);
            long ttl = at == Records.NO_EXPIRY ? 0 : Math.max(1, at - now);
            byte[] payload = DumpPayload.write(DumpRestore.valueOf(here, c.server().config(), a[j], rec),
                    c.server().config().rdbCompression());
            moved.add(new Moved(a[j], payload, ttl));
        }
        if (moved.isEmpty()) {
            out.simple("NOKEY");
            return;
        }
        Request r = new Request(Args.text(a[1]), (int) port, (int) db, (int) Math.min(timeout, Integer.MAX_VALUE),
                copy, replace, auth, moved);
        if (c.denyBlocking()) {
            boolean[] restored = new boolean[moved.size()];
            String error = exchange(r, restored);
            if (!copy) remove(c, r, restored, false);
            reply(out, error);
            return;
        }
        c.awaitReply();
        c.server().background().execute(() -> {
            boolean[] restored = new boolean[moved.size()];
            String error = exchange(r, restored);
            if (!r.copy()) remove(c, r, restored, true);
            RespWriter w = new RespWriter(c.alloc().buffer(64), c.protocolVersion());
            reply(w, error);
            ByteBuf buf = w.buffer();
            c.link().resume(buf);
        });
    }

    private static void reply(ReplySink out, String error) {
        if (error == null) out.ok();
        else out.error(error);
    }

    /**
     * Deletes the keys the target took. After the exchange ran off the locks, a key is deleted only if it still
     * serializes to what was sent; each deletion is propagated to replicas as a DEL, as Redis rewrites MIGRATE.
     */
    private static void remove(Session c, Request r, boolean[] restored, boolean relock) {
        Database db = c.db();
        UnitOfWork unit = null;
        boolean any = false;
        for (boolean ok : restored) any |= ok;
        if (!any) return;
        if (relock) {
            unit = c.server().keyspace().unit();
            for (Moved m : r.keys) unit.key(m.key);
            unit.open();
        }
        try {
            List<byte[]> deleted = new ArrayList<>();
            for (int i = 0; i < r.keys.size(); i++) {
                Moved m = r.keys.get(i);
                if (!restored[i]) continue;
                byte[] rec = db.lookup(m.key);
                if (rec == null) continue;
                if (relock && !Arrays.equals(m.payload,
                        DumpPayload.write(DumpRestore.valueOf(db, c.server().config(), m.key, rec),
                                c.server().config().rdbCompression()))) {
                    continue;
                }
                db.delete(m.key);
                Notify.generic(c, "del", m.key);
                deleted.add(m.key);
            }
            if (!deleted.isEmpty() && c.propagating()) {
                byte[][] del = new byte[deleted.size() + 1][];
                del[0] = Argv.of("DEL")[0];
                for (int i = 0; i < deleted.size(); i++) del[i + 1] = deleted.get(i);
                if (relock) c.server().replication().propagate(c.dbIndex(), del);
                else c.propagateAs(del);
            }
        } finally {
            if (unit != null) unit.close();
        }
    }

    /**
     * The conversation with the target; null when every key was restored, else the error MIGRATE answers.
     * {@code restored} says which keys the target took.
     */
    private static String exchange(Request r, boolean[] restored) {
        try (Socket s = new Socket()) {
            // As Redis's non-blocking connect: a refused connection shows when it writes, a silent or unknown host
            // when it connects.
            try {
                if (r.port < 0 || r.port > 65535) return "IOERR error or timeout writing to target instance";
                s.connect(new InetSocketAddress(r.host, r.port), r.timeoutMs);
            } catch (java.net.ConnectException e) {
                return "IOERR error or timeout writing to target instance";
            } catch (IOException e) {
                return "IOERR error or timeout connecting to the client";
            }
            s.setSoTimeout(r.timeoutMs);
            s.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            if (r.auth != null) BlockingResp.writeCommand(out, r.auth);
            BlockingResp.writeCommand(out, Argv.of("SELECT", r.db));
            for (Moved m : r.keys) {
                List<byte[]> cmd = new ArrayList<>(List.of(Argv.of("RESTORE", m.key, m.ttl, m.payload)));
                if (r.replace) cmd.add(Argv.of("REPLACE")[0]);
                BlockingResp.writeCommand(out, cmd.toArray(new byte[0][]));
            }
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            if (r.auth != null) {
                String e = readReply(in);
                if (e != null) return "ERR Target instance replied with error: " + e;
            }
            String e = readReply(in);
            if (e != null) return "ERR Target instance replied with error: " + e;
            String first = null;
            for (int i = 0; i < r.keys.size(); i++) {
                e = readReply(in);
                restored[i] = e == null;
                if (e != null && first == null) first = e;
            }
            return first == null ? null : "ERR Target instance replied with error: " + first;
        } catch (IOException e) {
            return "IOERR error or timeout reading to target instance";
        }
    }

    /** One reply line (what RESTORE, SELECT and AUTH answer): null for a status, the text of an error. */
    private static String readReply(InputStream in) throws IOException {
        String text = BlockingResp.readLine(in);
        if (text.startsWith("-")) return text.substring(1);
        if (text.startsWith("+") || text.startsWith(":")) return null;
        throw new IOException("unexpected reply " + text);
    }
}
