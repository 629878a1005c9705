package io.simplekv.tracking;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bytes of an invalidation, as Redis's sendTrackingMessage writes them: a {@code >2 invalidate} push to a RESP3
 * client, or a message on {@code __redis__:invalidate} to a RESP2 client that is the redirect target and in
 * pub/sub mode. The value is an array of keys, or the null of the tracking client's protocol after a flush.
 */
final class InvalidationMessage {
    private static final byte[] PUSH = ">2\r\n$10\r\ninvalidate\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUBSUB =
            "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);

    private InvalidationMessage() {}

    /**
     * The message for {@code tracker}'s invalidation of {@code keys} (null: everything), written to {@code target}
     * (the tracker itself or its redirect); null when the target can't take one (RESP2 and not subscribed).
     */
    static ByteBuf build(TrackedClient tracker, TrackedClient target, boolean redirected, List<byte[]> keys) {
        byte[] head;
        if (target.protocolVersion() > 2) head = PUSH;
        else if (redirected && target.subscriptions().any()) head = PUBSUB;
        else return null;
        ByteBuf b = target.alloc().buffer(head.length + 32);
        b.writeBytes(head);
        if (keys == null) {
            b.writeBytes(tracker.protocolVersion() > 2 ? NULL3 : NULL2);
            return b;
        }
        header(b, '*', keys.size());
        for (byte[] k : keys) {
            header(b, '$', k.length);
            b.writeBytes(k).writeByte('\r').writeByte('\n');
        }
        return b;
    }

    /** What a RESP3 tracker hears when its redirect target is gone: {@code >2 tracking-redir-broken <id>}. */
    static ByteBuf redirectBroken(TrackedClient tracker, long redirect) {
        ByteBuf b = tracker.alloc().buffer(48);
        b.writeBytes(">2\r\n$21\r\ntracking-redir-broken\r\n".getBytes(StandardCharsets.US_ASCII));
        header(b, ':', redirect);
        return b;
    }

    private static void header(ByteBuf b, char type, long n) {
        b.writeByte(type).writeCharSequence(Long.toString(n), StandardCharsets.US_ASCII);
        b.writeByte('\r').writeByte('\n');
    }
}
