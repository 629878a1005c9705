package io.simplekv.pubsub;

import io.netty.buffer.ByteBuf;

/** A connection that can receive published messages; the registry knows nothing else about it. */
public interface Subscriber {
    /** What this subscriber is subscribed to; changed only by {@link PubSub}, on the subscriber's own thread. */
    Subscriptions subscriptions();

    /**
     * Hands over one encoded message; the callee owns that reference and must release it. Called from any
     * thread, never while the registry's lock is held, so it may close the connection.
     */
    void deliver(ByteBuf message);

    /** The protocol the subscriber speaks: a RESP3 subscriber gets messages as pushes. */
    default int protocolVersion() {
        return 2;
    }

    /**
     * The event loop this subscriber's deliveries must be written on, so a publish can hand each loop one task
     * for all of its subscribers instead of one task per subscriber; null if any thread may call deliver.
     */
    default io.netty.channel.EventLoop loop() {
        return null;
    }

    /** Counts a message toward this subscriber's output limit; false means it was refused (and released). */
    default boolean admit(ByteBuf message) {
        return true;
    }

    /** Writes a message {@link #admit} accepted; called on {@link #loop()}. */
    default void writeAdmitted(ByteBuf message) {
        deliver(message);
    }
}
