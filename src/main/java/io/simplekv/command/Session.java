package io.simplekv.command;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.simplekv.keyspace.Database;
import io.simplekv.protocol.QueryBuffer;
import io.simplekv.pubsub.Subscriptions;
import io.simplekv.tracking.TrackedClient;
import io.simplekv.tracking.TrackingState;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One client's state as the command layer sees it (Redis's client struct without the socket): selected database,
 * authentication, protocol version, name, the MULTI queue, watched keys, reply mode, subscriptions and the wait it
 * is in. Handlers get a Session and a reply sink, never a channel; the connection, if there is one, is behind
 * {@link #link()}. Owned by the thread that serves the client; fields other threads read for CLIENT LIST, the idle
 * sweeper or a serve are volatile.
 */
public final class Session implements TrackedClient {
    private final long id;
    private final ServerContext server;
    private final ClientLink link;
    private final long createdAt = System.currentTimeMillis();
    private volatile long lastInteraction = createdAt;
    private volatile int db;
    private volatile String name = "";
    private volatile boolean authenticated;
    /** The user this client is authenticated as (Redis's c->user): the default user until AUTH says otherwise. */
    private volatile io.simplekv.acl.User user;
    private volatile String lastCommand = "NULL";
    private volatile int protocolVersion = 2;
    private boolean closeAfterReply;
    /** Read only by CLIENT LIST, a diagnostic; plain, so the two writes per command cost no memory fence. */
    private byte[][] executing;
    /** Commands queued since MULTI, or null outside a transaction. */
    private List<byte[][]> multiQueue;
    private boolean multiFailed;
    private final Set<DbKey> watched = new HashSet<>();
    private volatile boolean watchDirty;
    private boolean repliesOff;
    private boolean skipThisReply;
    private boolean skipNextReply;
    private boolean replyIsPush;
    private final Subscriptions subscriptions = new Subscriptions();
    private final TrackingState tracking = new TrackingState();
    /** The wait this client is in (BLPOP, DEBUG SLEEP...), or null; set on its own thread, read by others. */
    private volatile BlockedClient blocked;
    private volatile boolean suspended;
    /** Set while EXEC runs its queue: a blocking command there answers at once, as Redis's CLIENT_DENY_BLOCKING. */
    private boolean denyBlocking;
    /** Set while a served waiter's command runs again: blocking once more must keep its place, not queue anew. */
    private boolean reprocessing;
    /** During a serve's re-run, the key whose signal woke the waiter (XREAD answers for that stream alone). */
    private byte[] readyKey;
    /** Set when the command running again for a serve found nothing after all and would block once more. */
    private boolean blockedAgain;
    /** The unit of work this session's command runs in (EXEC's, for its queued commands), or null between commands. */
    private io.simplekv.keyspace.UnitOfWork unit;
    private boolean wroteInBatch;
    /** The request just refused waits for CLIENT PAUSE to end (not for a script): see CommandService.whenAllowed. */
    private boolean heldByPause;
    private volatile QueryBuffer queryBuffer = new QueryBuffer();

    public Session(long id, ServerContext server, ClientLink link) {
        this.id = id;
        this.server = server;
        this.link = link;
        this.user = server.acl().defaultUser();
        this.authenticated = !server.acl().authRequired();
    }

    @Override
    public long id() { return id; }
    @Override
    public TrackingState tracking() { return tracking; }
    @Override
    public io.netty.buffer.ByteBufAllocator alloc() { return link.alloc(); }
    public ServerContext server() { return server; }
    public ClientLink link() { return link; }
    public long createdAt() { return createdAt; }
    public long lastInteraction() { return lastInteraction; }
    public void touch(long now) { lastInteraction = now; }
    public int dbIndex() { return db; }
    public void select(int db) { this.db = db; }
    public Database db() { return server.keyspace().db(db); }
    public String name() { return name; }
    public void name(String name) { this.name = name; }
    public boolean authenticated() { return authenticated; }
    public void authenticated(boolean v) { this.authenticated = v; }
    public io.simplekv.acl.User user() { return user; }
    public void user(io.simplekv.acl.User u) { this.user = u; }

    /** Redis's clientSetDefaultAuth (a new client, RESET): the default user, authenticated if it needs no password. */
    public void defaultAuth() {
        this.user = server.acl().defaultUser();
        this.authenticated = !server.acl().authRequired();
    }
    public String lastCommand() { return lastCommand; }
    public void lastCommand(String c) { this.lastCommand = c; }
    @Override
    public int protocolVersion() { return protocolVersion; }
    public void protocolVersion(int v) { this.protocolVersion = v; }
    public boolean isLocal() { return link.isLocal(); }
    /** Redis's CLIENT_SCRIPT: the session a script's redis.call commands run on. */
    public boolean isScript() { return link == ClientLink.SCRIPT; }
    public String address() { return link.address(); }
    public String localAddress() { return link.localAddress(); }

    public BlockedClient blocked() { return blocked; }
    void blocked(BlockedClient w) { this.blocked = w; }
    /** The wait's reply is about to be written, on this client's own thread: requests read after it may run. */
    public void waitEnded() {
        this.blocked = null;
        this.suspended = false;
    }
    /** Its command runs on the script thread: like a blocked client, it reads nothing more until the reply. */
    void suspend() { this.suspended = true; }
    /**
     * The command's reply comes later, through {@link ClientLink#resume}, from work done off the event loop
     * (MIGRATE's exchange with its target); meanwhile the client reads nothing more, as a blocked one.
     */
    public void awaitReply() { this.suspended = true; }
    /** Its command went to the script thread, which also applies CLIENT REPLY OFF/SKIP to the reply. */
    public boolean suspended() { return suspended; }
    /** Whether the client waits for a reply that comes later (blocked, or its script running): hold its requests. */
    public boolean waiting() { return blocked != null || suspended; }
    /** Whether a blocking command must answer at once (inside EXEC, or with no connection to wait on). */
    public boolean denyBlocking() { return denyBlocking || !link.canWait(); }
    void denyBlocking(boolean v) { this.denyBlocking = v; }
    /** Whether the command running is a served waiter's re-run (Waits), not a client's request. */
    public boolean reprocessing() { return reprocessing; }
    void reprocessing(boolean v) { this.reprocessing = v; }
    /** The key whose signal is being served, during a re-run; null otherwise. */
    public byte[] readyKey() { return readyKey; }
    void readyKey(byte[] key) { this.readyKey = key; }
    boolean blockedAgain() { return blockedAgain; }
    void blockedAgain(boolean v) { this.blockedAgain = v; }
    /** The unit of work of the running command: a step that reads a whole table after writing flushes it. */
    public io.simplekv.keyspace.UnitOfWork unit() { return unit; }
    void unit(io.simplekv.keyspace.UnitOfWork u) { this.unit = u; }

    boolean heldByPause() { return heldByPause; }
    void heldByPause(boolean v) { this.heldByPause = v; }

    /** Whether a write command ran since the last flush of replies (appendfsync always forces before it). */
    public boolean wroteInBatch() { return wroteInBatch; }
    public void wroteInBatch(boolean v) { this.wroteInBatch = v; }

    public boolean inMulti() { return multiQueue != null; }
    public void beginMulti() { multiQueue = new ArrayList<>(); multiFailed = false; }
    void queue(byte[][] args) { multiQueue.add(args); }
    /** A command refused while queueing dooms the transaction: EXEC answers EXECABORT. */
    void failMulti() { if (multiQueue != null) multiFailed = true; }
    public boolean multiFailed() { return multiFailed; }
    /** The commands queued so far, while still in MULTI (EXEC's unit of work names their keys). */
    List<byte[][]> queued() { return multiQueue; }

    /** Ends the transaction and hands back what was queued. */
    public List<byte[][]> endMulti() {
        List<byte[][]> q = multiQueue;
        multiQueue = null;
        multiFailed = false;
        return q;
    }

    Set<DbKey> watched() { return watched; }
    public boolean watchDirty() { return watchDirty; }
    void markWatchDirty() { watchDirty = true; }

    public void watch(int db, byte[] key) { server.watches().watch(this, server.keyspace().db(db), key); }

    public void unwatchAll() {
        server.watches().unwatchAll(this);
        watchDirty = false;
    }

    /** The request being executed, so CLIENT LIST can report its size as qbuf like Redis does; null between. */
    public void executing(byte[][] args) { this.executing = args; }

    /** The connection's query buffer accounting (a client without a connection keeps an empty one). */
    public QueryBuffer queryBuffer() { return queryBuffer; }
    public void queryBuffer(QueryBuffer buffer) { this.queryBuffer = buffer; }

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

    /** Pub/sub confirmations are pushes in Redis: CLIENT REPLY OFF/SKIP does not silence them. */
    public void replyIsPush() {
        replyIsPush = true;
    }

    /** Whether the reply of the command just run must be dropped; also moves SKIP on to the next command. */
    public boolean dropReplyAndAdvance() {
        boolean drop = (repliesOff || skipThisReply) && !replyIsPush;
        replyIsPush = false;
        skipThisReply = skipNextReply;
        skipNextReply = false;
        return drop;
    }

    /** QUIT and CLIENT KILL of oneself: close once this batch's replies are written. */
    public void closeAfterReply() { closeAfterReply = true; }
    public boolean closingAfterReply() { return closeAfterReply; }

    /** CLIENT KILL: oneself after the reply, anyone else now. */
    public void kill(Session by) {
        if (by == this) closeAfterReply();
        else link.close();
    }

    // ---- Subscriber: messages go out through the connection ----

    @Override
    public Subscriptions subscriptions() { return subscriptions; }
    @Override
    public void deliver(ByteBuf message) { link.deliver(message); }
    @Override
    public EventLoop loop() { return link.loop(); }
    @Override
    public boolean admit(ByteBuf message) { return link.admit(message); }
    @Override
    public void writeAdmitted(ByteBuf message) { link.writeAdmitted(message); }

    private static long requestSize(byte[][] args) {
        if (args == null) return 0;
        long n = 3 + Integer.toString(args.length).length();
        for (byte[] a : args) n += 5 + Integer.toString(a.length).length() + a.length;
        return n;
    }

    // ---- replication: what this client's command propagates (Redis's argv rewrites and alsoPropagate) -------

    private byte[][] propagateAs;
    private boolean propagationPrevented;
    private boolean propagationForced;
    private io.simplekv.replication.ReplicationFeed.Replica replica;

    /** Whether a replica is attached, so a command's rewrites are worth building. */
    public boolean propagating() { return server.replication().active(); }

    /** DEL, or UNLINK when the lazyfree option given (lazyfree-lazy-expire, -user-del...) is yes: a deletion's verb. */
    public String deleteVerb(String lazyfreeOption) {
        return "yes".equals(server.config().get(lazyfreeOption)) ? "UNLINK" : "DEL";
    }

    /** The command, if it changed data, propagates as this instead (Redis's rewriteClientCommandVector). */
    public void propagateAs(byte[]... argv) { propagateAs = argv; }

    /** The command propagates this too, in the current database (Redis's alsoPropagate). */
    public void alsoPropagate(byte[]... argv) { server.replication().propagate(db, argv); }

    /** The command itself is not propagated: it said what is by {@link #alsoPropagate} (preventCommandPropagation). */
    public void preventPropagation() { propagationPrevented = true; }

    /** The command is propagated even if it changed no data (PUBLISH, FLUSHALL: Redis's forceCommandPropagation). */
    public void forcePropagation() { propagationForced = true; }

    /**
     * What the command that just ran propagates, given whether it changed data; null for nothing. Clears the
     * command's rewrite, so the next command starts afresh.
     */
    byte[][] takePropagation(byte[][] args, boolean changed) {
        byte[][] as = propagateAs;
        boolean send = (changed || propagationForced) && !propagationPrevented;
        propagateAs = null;
        propagationPrevented = false;
        propagationForced = false;
        return send ? (as != null ? as : args) : null;
    }

    private volatile boolean obeysMaster;

    /** The master's client on a replica: it writes while everyone else is read-only, and is never refused for memory. */
    public boolean obeysMaster() { return obeysMaster; }
    public void obeysMaster(boolean v) { obeysMaster = v; }

    /** This connection is a replica fed the replication stream (after SYNC or PSYNC). */
    public io.simplekv.replication.ReplicationFeed.Replica replica() { return replica; }
    public void replica(io.simplekv.replication.ReplicationFeed.Replica r) { replica = r; }

    /** CLIENT NO-EVICT ON: maxmemory-clients never closes this client. */
    private volatile boolean noEvict;
    public boolean noEvict() { return noEvict; }
    public void noEvict(boolean v) { noEvict = v; }

    /**
     * The client's own structures (its Session, pipeline handlers and Netty channel), counted once per client as
     * Redis counts its client struct.
     */
    private static final long CLIENT_BASE_BYTES = 1024;
    /** Per queued command (multiCmd), watched key (listNode + watchedKey), subscription and pattern, as Redis's. */
    private static final long QUEUED_COMMAND_BYTES = 24, WATCHED_KEY_BYTES = 56, CHANNEL_BYTES = 32, PATTERN_BYTES = 24,
            PREFIX_BYTES = 48;
    /** What this client last added to the registry's total. */
    private long countedMemory;

    /** The current command's arguments as Redis's argv-mem counts them: their lengths and a pointer each. */
    private static long argvMemory(byte[][] args) {
        if (args == null) return 0;
        long sum = 8L * args.length;
        for (byte[] a : args) sum += a.length;
        return sum;
    }

    /** multi-mem: the queued commands' arguments, a slot per queued command, and the watched keys' entries. */
    private long multiMemory() {
        long mem = (long) watched.size() * WATCHED_KEY_BYTES;
        List<byte[][]> q = multiQueue;
        if (q != null) {
            for (byte[][] args : q) mem += argvMemory(args) + QUEUED_COMMAND_BYTES;
        }
        return mem;
    }

    /**
     * tot-mem, as Redis's getClientMemoryUsage adds it up: the query buffer (with a big argument's room, taken at its
     * header), the current command's arguments, the replies not yet written to the socket, MULTI's queue and
     * watched keys, a pointer's overhead per subscription, pattern and tracking prefix, and the client itself.
     */
    public long memoryUsage() {
        long request = requestSize(executing);
        return CLIENT_BASE_BYTES + queryBuffer.used(request) + queryBuffer.free(request) + argvMemory(executing)
                + queryBuffer.pendingArguments()
                + link.pendingOutputBytes() + multiMemory()
                + (long) (subscriptions.channels() + subscriptions.shardChannels()) * CHANNEL_BYTES
                + (long) subscriptions.patterns() * PATTERN_BYTES + (long) tracking.prefixCount() * PREFIX_BYTES;
    }

    /**
     * Counts this client's memory into the registry's total again (after a read batch, and from the cron for the
     * replies Netty drains meanwhile); replicas and the master link are not counted, as Redis counts them apart.
     */
    public long recountMemory() {
        long now = replica != null || obeysMaster ? 0 : memoryUsage();
        long delta;
        synchronized (this) {
            // Gone from the registry (evicted from another thread while this one finished its batch): never again.
            if (uncounted) return now;
            delta = now - countedMemory;
            countedMemory = now;
        }
        if (delta != 0) server.clients().counted(delta);
        return now;
    }

    /** The client left: what it counted leaves the total, and later recounts add nothing. */
    void uncountMemory() {
        long held;
        synchronized (this) {
            held = countedMemory;
            countedMemory = 0;
            uncounted = true;
        }
        server.clients().counted(-held);
    }

    /** Set once the registry has let the client go. */
    private boolean uncounted;

    /** One line of CLIENT LIST / CLIENT INFO, with Redis's field names and order. */
    public String info() {
        long now = System.currentTimeMillis();
        String flags = (replica != null ? "S" : "") + (server.monitors().contains(this) ? "O" : "") + (subscriptions.any() ? "P" : "")
                + (multiQueue != null ? "x" : "")
                + (blocked != null ? "b" : "") + (tracking.on() ? "t" : "") + (tracking.brokenRedirect() ? "R" : "")
                + (tracking.bcast() ? "B" : "") + (noEvict ? "e" : "");
        if (flags.isEmpty()) flags = "N";
        return "id=" + id + " addr=" + address() + " laddr=" + localAddress() + " fd=" + (8 + id)
                + " name=" + name + " age=" + (now - createdAt) / 1000 + " idle=" + (now - lastInteraction) / 1000
                + " flags=" + flags + " db=" + db + " sub=" + subscriptions.channels()
                + " psub=" + subscriptions.patterns() + " ssub=" + subscriptions.shardChannels()
                + " multi=" + (multiQueue != null ? multiQueue.size() : -1) + " qbuf=" + queryBuffer.used(requestSize(executing))
                + " qbuf-free=" + queryBuffer.free(requestSize(executing)) + " argv-mem=" + argvMemory(executing)
                + " multi-mem=" + multiMemory()
                + " rbs=0 rbp=0 obl=0 oll=0 omem=" + link.pendingOutputBytes() + " tot-mem=" + memoryUsage()
                + " events=r cmd=" + lastCommand
                + " user=" + user.name() + " redir=" + tracking.redirection() + " resp=" + protocolVersion;
    }
}
