package io.simplekv.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.simplekv.text.Glob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry on its own: bookkeeping, the prefix-indexed patterns against a plain glob scan, and buffer ownership. */
class PubSubTest {
    private final PubSub ps = new PubSub(UnpooledByteBufAllocator.DEFAULT);
    private final List<ByteBuf> leaks = new ArrayList<>();

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    final class Sink implements Subscriber {
        final Subscriptions subs = new Subscriptions();
        final List<String> got = new ArrayList<>();

        @Override
        public Subscriptions subscriptions() {
            return subs;
        }

        @Override
        public void deliver(ByteBuf message) {
            got.add(message.toString(StandardCharsets.UTF_8));
            leaks.add(message);
            message.release();
        }
    }

    @AfterEach
    void everyReferenceReleased() {
        for (ByteBuf m : leaks) assertEquals(0, m.refCnt());
    }

    @Test
    void subscribeIsIdempotentAndCounted() {
        Sink s = new Sink();
        assertTrue(ps.subscribe(s, PubSub.Kind.CHANNEL, b("a")));
        assertFalse(ps.subscribe(s, PubSub.Kind.CHANNEL, b("a")));
        assertTrue(ps.subscribe(s, PubSub.Kind.PATTERN, b("a*")));
        assertTrue(ps.subscribe(s, PubSub.Kind.SHARD, b("a")));
        assertEquals(2, s.subs.count());
        assertEquals(1, s.subs.shardChannels());
        assertEquals(1, ps.numSub(false, b("a")));
        assertEquals(1, ps.numPat());
        assertFalse(ps.unsubscribe(s, PubSub.Kind.CHANNEL, b("zz")));
        ps.unsubscribeAll(s);
        assertFalse(s.subs.any());
        assertEquals(0, ps.channelCount(false) + ps.channelCount(true) + ps.numPat());
    }

    @Test
    void oneEncodingSharedByAllReceivers() {
        Sink x = new Sink(), y = new Sink();
        ps.subscribe(x, PubSub.Kind.CHANNEL, b("c"));
        ps.subscribe(y, PubSub.Kind.CHANNEL, b("c"));
        ps.subscribe(y, PubSub.Kind.PATTERN, b("?"));
        assertEquals(3, ps.publish(b("c"), b("hi")));
        assertEquals(List.of("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nhi\r\n"), x.got);
        assertEquals(List.of("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nhi\r\n",
                "*4\r\n$8\r\npmessage\r\n$1\r\n?\r\n$1\r\nc\r\n$2\r\nhi\r\n"), y.got);
        assertEquals(0, ps.publishShard(b("c"), b("hi")));
    }

    @Test
    void prefixIndexAgreesWithAPlainScan() {
        String[] patterns = {"*", "a*", "ab*", "abc", "a?c", "a[bc]*", "a\\*b", "\\a*", "news.*", "news.sport.*",
                "user:1*", "user:12:*", "[^u]*", "", "x", "h*llo", "h\\?llo"};
        String[] channels = {"", "a", "ab", "abc", "acc", "a*b", "aab", "news.x", "news.sport.f1", "user:12:x",
                "user:1", "u", "x", "hello", "h?llo", "hallo"};
        Sink[] sinks = new Sink[patterns.length];
        for (int i = 0; i < patterns.length; i++) {
            sinks[i] = new Sink();
            ps.subscribe(sinks[i], PubSub.Kind.PATTERN, b(patterns[i]));
        }
        for (String ch : channels) {
            int expected = 0;
            for (String p : patterns) if (Glob.matches(b(p), b(ch))) expected++;
            assertEquals(expected, ps.publish(b(ch), b("m")), ch);
        }
    }

    @Test
    void thousandsOfPatternsStayCheapAndCorrect() {
        Random rnd = new Random(7);
        List<Sink> sinks = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            Sink s = new Sink();
            ps.subscribe(s, PubSub.Kind.PATTERN, b("user:" + i + ":*"));
            sinks.add(s);
        }
        long start = System.nanoTime();
        for (int i = 0; i < 20_000; i++) {
            int id = rnd.nextInt(5000);
            assertEquals(1, ps.publish(b("user:" + id + ":inbox"), b("m")));
        }
        long micros = (System.nanoTime() - start) / 1000 / 20_000;
        // A scan of 5000 globs per publish costs far more than this; the index probes a few buckets.
        assertTrue(micros < 200, micros + " µs per publish");
        for (Sink s : sinks) ps.unsubscribeAll(s);
        assertEquals(0, ps.numPat());
    }
}
