package io.simplekv.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

import java.util.concurrent.ScheduledFuture;

/**
 * What a {@link Session} needs from the connection that carries it: where the client is, how to reach it outside a
 * reply (pub/sub messages, MONITOR lines, the reply that ends a wait) and how to drop it. The server's Netty
 * connection implements it; a session with no connection (a script's, a unit test's) uses {@link #DETACHED}.
 */
public interface ClientLink {
    String address();

    String localAddress();

    /** Redis's islocalClient: a loopback peer, or no network peer at all. */
    boolean isLocal();

    /** Bytes written for the client but not yet sent (CLIENT LIST omem). */
    long pendingOutputBytes();

    /** Drops the connection (CLIENT KILL of another client). */
    void close();

    /** Hands over one encoded message for the client; the callee owns that reference. Any thread. */
    void deliver(ByteBuf message);

    /** The event loop the client's output is written on, or null when any thread may write. */
    EventLoop loop();

    /** Counts a message toward the client's output limit; false means it was refused (and released). */
    boolean admit(ByteBuf message);

    /** Writes a message {@link #admit} accepted; called on {@link #loop()}. */
    void writeAdmitted(ByteBuf message);

    ByteBufAllocator alloc();

    /** Ends a wait (a blocking command, DEBUG SLEEP) with its reply, on the client's own thread; the callee owns it. */
    void resume(ByteBuf reply);

    /**
     * As {@link #resume}, without waking the client's event loop if it sleeps: the reply waits for its next wake-up,
     * which the caller owes it by running a task on the returned executor (null: nothing is owed).
     */
    default java.util.concurrent.Executor resumeQuietly(ByteBuf reply) {
        resume(reply);
        return null;
    }

    /** Whether the client can wait (BLPOP, DEBUG SLEEP); one that can't gets their answer at once, as inside EXEC. */
    default boolean canWait() {
        return true;
    }

    /** Runs a task on the client's own thread after a delay (a blocking command's timeout). */
    ScheduledFuture<?> schedule(Runnable task, long millis);

    /** No connection: messages are dropped, and nothing waits (a script's blocking command answers at once). */
    ClientLink DETACHED = detached("");

    /** The link of the session scripts run their commands on: MONITOR shows it as Redis does ({@code [0 lua]}). */
    ClientLink SCRIPT = detached("lua");

    /**
     * A session with no connection under this address (the script session, a replica's link to its master): what it
     * is sent is dropped, and it never waits.
     */
    static ClientLink detached(String address) {
        return new ClientLink() {
        @Override public String address() { return address; }
        @Override public String localAddress() { return ""; }
        @Override public boolean isLocal() { return true; }
        @Override public long pendingOutputBytes() { return 0; }
        @Override public void close() {}
        @Override public void deliver(ByteBuf message) { message.release(); }
        @Override public EventLoop loop() { return null; }
        @Override public boolean admit(ByteBuf message) { return true; }
        @Override public void writeAdmitted(ByteBuf message) { message.release(); }
        @Override public ByteBufAllocator alloc() { return ByteBufAllocator.DEFAULT; }
        @Override public void resume(ByteBuf reply) { reply.release(); }
        @Override public boolean canWait() { return false; }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long millis) {
            throw new IllegalStateException("a session without a connection can't wait");
        }
        };
    }
}
