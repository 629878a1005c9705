package io.simplekv.tracking;

import io.netty.buffer.ByteBufAllocator;
import io.simplekv.pubsub.Subscriber;

/** What tracking needs of a client: who it is, how it speaks, and a way to hand it a message. */
public interface TrackedClient extends Subscriber {
    long id();

    /** Its tracking settings and the invalidations waiting for its current command's reply. */
    TrackingState tracking();

    ByteBufAllocator alloc();
}
