package io.simplekv.server;

import io.netty.channel.Channel;
import io.simplekv.keyspace.Database;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Per-connection state (Redis's client struct). Owned by the connection's event loop; fields that other
 * threads read for CLIENT LIST or the idle sweeper are volatile.
 */
public final class ClientConnection {
    private final long id;
    private final Channel channel;
    private final ServerContext server;
    private final long createdAt = System.currentTimeMillis();
    private volatile long lastInteraction = createdAt;
    private volatile int db;
    private volatile String name = "";
    private volatile String libName = "";
    private volatile String libVersion = "";
    private volatile boolean authenticated;
    private volatile String lastCommand = "NULL";
    private volatile int protocolVersion = 2;
    private boolean closeAfterReply;
    private volatile byte[][] executing;
    private boolean repliesOff;
    private boolean skipThisReply;
    private boolean skipNextReply;

    public ClientConnection(long id, Channel channel, ServerContext server) {
        this.id = id;
        this.channel = channel;
        this.server = server;
        this.authenticated = !server.config().requiresAuth();
    }

    public long id() { return id; }
    public Channel channel() { return channel; }
    public ServerContext server() { return server; }
    public long createdAt() { return createdAt; }
    public long lastInteraction() { return lastInteraction; }
    public void touch(long now) { lastInteraction = now; }
    public int dbIndex() { return db; }
    public void select(int db) { this.db = db; }
    public Database db() { return server.keyspace().db(db); }
    public String name() { return name; }
    public void name(String name) { this.name = name; }
    public String libName() { return libName; }
    public void libName(String v) { this.libName = v; }
    public String libVersion() { return libVersion; }
    public void libVersion(String v) { this.libVersion = v; }
    public boolean authenticated() { return authenticated; }
    public void authenticated(boolean v) { this.authenticated = v; }
    public String lastCommand() { return lastCommand; }
    public void lastCommand(String c) { this.lastCommand = c; }
    public int protocolVersion() { return protocolVersion; }
    public void protocolVersion(int v) { this.protocolVersion = v; }

    /** The request being executed, so CLIENT LIST can report its size as qbuf like Redis does; null between. */
    public void executing(byte[][] args) { this.executing = args; }

    /** CLIENT REPLY ON | OFF | SKIP. */
    public void replies(boolean on) {
        repliesOff = !on;
        // ON also cancels a pending SKIP, and its own +OK must get through, as in Redis.
        if (on) {
            skipThisReply = false;
            skipNextReply = false;
        }
    }

    public void skipNextReply() {
        if (!repliesOff) skipNextReply = true;
    }

    /** Whether the reply of the command just run must be dropped; also moves SKIP on to the next command. */
    public boolean dropReplyAndAdvance() {
        boolean drop = repliesOff || skipThisReply;
        skipThisReply = skipNextReply;
        skipNextReply = false;
        return drop;
    }

    /** QUIT and CLIENT KILL of oneself: close once this batch's replies are written. */
    public void closeAfterReply() { closeAfterReply = true; }
    public boolean closingAfterReply() { return closeAfterReply; }

    public String address() {
        return format(channel.remoteAddress());
    }

    public String localAddress() {
        return format(channel.localAddress());
    }

    private static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress i) return i.getAddress().getHostAddress() + ":" + i.getPort();
        return String.valueOf(a);
    }

    private static long requestSize(byte[][] args) {
        if (args == null) return 0;
        long n = 3 + Integer.toString(args.length).length();
        for (byte[] a : args) n += 5 + Integer.toString(a.length).length() + a.length;
        return n;
    }

    /** One line of CLIENT LIST / CLIENT INFO, with Redis's field names and order. */
    public String info() {
        long now = System.currentTimeMillis();
        return "id=" + id + " addr=" + address() + " laddr=" + localAddress() + " fd=" + (8 + id)
                + " name=" + name + " age=" + (now - createdAt) / 1000 + " idle=" + (now - lastInteraction) / 1000
                + " flags=N db=" + db + " sub=0 psub=0 ssub=0 multi=-1 qbuf=" + requestSize(executing)
                + " qbuf-free=0 argv-mem=0 multi-mem=0"
                + " rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=" + lastCommand
                + " user=default redir=-1 resp=" + protocolVersion + " lib-name=" + libName + " lib-ver=" + libVersion;
    }
}
