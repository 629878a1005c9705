package io.simplekv.command.server;

import io.netty.buffer.ByteBufAllocator;
import io.simplekv.command.ClientLink;
import io.simplekv.command.ServerContext;
import io.simplekv.command.Session;
import io.simplekv.keyspace.UnitOfWork;
import io.simplekv.protocol.BlockingResp;
import io.simplekv.protocol.RespWriter;
import io.simplekv.replication.Argv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * simplekv as a replica (REPLICAOF host port): one thread that connects to the master, asks for a full copy with
 * SYNC (the protocol `redis-cli --replica` uses, which a Redis master does not time out for missing ACKs), loads
 * the RDB it sends in place of the dataset, then runs the command stream that follows as the master's client,
 * which alone may write while the server is a replica. A lost link is tried again every second until
 * REPLICAOF NO ONE or another master stops it.
 */
public final class MasterLink {
    private static final Logger log = LoggerFactory.getLogger(MasterLink.class);

    /** Redis's repl_state names, as ROLE reports them. */
    public enum State { CONNECT, CONNECTING, SYNC, CONNECTED }

    private final ServerContext server;
    private final String host;
    private final int port;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile State state = State.CONNECT;
    private volatile Socket socket;
    private volatile long offset;
    private volatile long lastIo = System.currentTimeMillis();

    public MasterLink(ServerContext server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.thread = new Thread(this::run, "simplekv-replica-of-" + host + ":" + port);
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** REPLICAOF NO ONE or another master: the link closes and is not tried again. */
    public void stop() {
        stopped = true;
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all that is asked
            }
        }
        thread.interrupt();
    }

    public String host() { return host; }
    public int port() { return port; }
    public State state() { return state; }
    public long offset() { return offset; }
    public long secondsSinceIo() { return (System.currentTimeMillis() - lastIo) / 1000; }

    private void run() {
        while (!stopped) {
            try (Socket s = new Socket()) {
                socket = s;
                state = State.CONNECTING;
                s.connect(new InetSocketAddress(host, port), 10_000);
                s.setSoTimeout(Integer.parseInt(server.config().get("repl-timeout")) * 1000);
                s.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
                OutputStream out = s.getOutputStream();
                handshake(in, out);
                follow(in);
            } catch (IOException | RuntimeException e) {
                if (stopped) return;
                log.warn("Replication link to {}:{} lost or refused: {}; trying again in a second", host, port, e.getMessage());
            }
            state = State.CONNECT;
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** PING, AUTH with masterauth if set, SYNC; then the RDB replaces the dataset. */
    private void handshake(InputStream in, OutputStream out) throws IOException {
        send(out, "PING");
        expectStatus(in, "PING");
        String auth = server.config().get("masterauth");
        if (auth != null && !auth.isEmpty()) {
            String user = server.config().get("masteruser");
            if (user != null && !user.isEmpty()) send(out, "AUTH", user, auth);
            else send(out, "AUTH", auth);
            expectStatus(in, "AUTH");
        }
        send(out, "SYNC");
        state = State.SYNC;
        String header;
        do {
            header = line(in); // the master sends newlines while its snapshot is made
        } while (header.isEmpty());
        if (header.startsWith("-")) throw new IOException("the master refused SYNC: " + header.substring(1));
        if (!header.startsWith("$")) throw new IOException("unexpected reply to SYNC: " + header);
        long length = Long.parseLong(header.substring(1));
        if (length > Integer.MAX_VALUE - 64) throw new IOException("an RDB over 2 GB is not supported");
        byte[] rdb = in.readNBytes((int) length);
        if (rdb.length != length) throw new IOException("the master closed the link during the RDB transfer");
        loadSnapshot(rdb);
        offset = 0;
        state = State.CONNECTED;
        log.info("MASTER <-> REPLICA sync: finished with success ({} bytes of RDB from {}:{})", length, host, port);
    }

    /** The dataset becomes the master's, whole, while every shard is held. */
    private void loadSnapshot(byte[] rdb) {
        try (UnitOfWork unit = server.keyspace().unit().everything().open()) {
            unit.flush();
            server.keyspace().flushAll();
            RdbSnapshot.load(server, rdb, false, true, "the master's RDB");
        }
    }

    /** The command stream: each command runs as the master's client; inline newlines are the master's keepalives. */
    private void follow(InputStream in) throws IOException {
        // Nothing the master's client is sent goes anywhere: a replica never answers its master's commands.
        Session master = server.newSession(ClientLink.detached(host + ":" + port));
        master.obeysMaster(true);
        master.defaultAuth();
        while (!stopped) {
            byte[][] command = readCommand(in);
            if (command == null) continue;
            lastIo = System.currentTimeMillis();
            RespWriter discard = new RespWriter(ByteBufAllocator.DEFAULT.heapBuffer(64), 2);
            try {
                while (!server.service().execute(master, command, discard)) {
                    Thread.sleep(1); // a script holds the server: the master's command waits its turn, as in Redis
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                discard.buffer().release();
            }
        }
    }

    /** One command of the stream (a RESP array of bulk strings), or null for a keepalive newline. */
    private byte[][] readCommand(InputStream in) throws IOException {
        String head = line(in);
        if (head.isEmpty()) return null;
        offset += head.length() + 2;
        if (head.charAt(0) != '*') throw new IOException("unexpected data in the replication stream: " + head);
        int n = Integer.parseInt(head.substring(1));
        byte[][] args = new byte[n][];
        for (int i = 0; i < n; i++) {
            String len = line(in);
            if (len.isEmpty() || len.charAt(0) != '$') throw new IOException("unexpected data in the replication stream");
            int size = Integer.parseInt(len.substring(1));
            args[i] = in.readNBytes(size);
            if (args[i].length != size || in.read() != '\r' || in.read() != '\n') throw new IOException("the master closed the link");
            offset += len.length() + 2 + size + 2;
        }
        return args;
    }

    private static void send(OutputStream out, String... args) throws IOException {
        BlockingResp.writeCommand(out, Argv.of((Object[]) args));
        out.flush();
    }

    private static void expectStatus(InputStream in, String what) throws IOException {
        String reply = line(in);
        // A master that wants AUTH answers PING with -NOAUTH; Redis's replica goes on to AUTH and SYNC all the same.
        if (reply.startsWith("-") && !(what.equals("PING") && reply.startsWith("-NOAUTH"))) {
            throw new IOException(what + " refused by the master: " + reply.substring(1));
        }
    }

    private static String line(InputStream in) throws IOException {
        return BlockingResp.readLine(in);
    }
}
