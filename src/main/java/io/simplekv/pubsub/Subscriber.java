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
}
