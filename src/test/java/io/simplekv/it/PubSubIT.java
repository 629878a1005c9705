package io.simplekv.it;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.simplekv.config.ServerConfig;
import io.simplekv.server.SimpleKvServer;
import io.simplekv.storage.MemoryEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pub/sub over TCP with Jedis and raw sockets, against a server in this JVM with several event loops. */
class PubSubIT {
    @TempDir
    static Path dir;
    static SimpleKvServer server;
    static int port;
    static ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        // Two loops at least, so publishers and subscribers are spread over different threads.
        ServerConfig config = ServerConfig.defaults().with("port", List.of("0")).with("dir", List.of(dir.toString()))
                .with("io-threads", List.of("2"));
        server = new SimpleKvServer(config, new MemoryEngine());
        port = server.start();
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        server.close();
    }

    @BeforeEach
    void defaults() {
        try (Jedis j = jedis()) {
            j.configSet("client-output-buffer-limit", "pubsub 32mb 8mb 60");
        }
    }

    static Jedis jedis() {
        return new Jedis("127.0.0.1", port, 10_000);
    }

    /** Records what a JedisPubSub receives; subscribed counts down once every subscription is confirmed. */
    static final class Recorder extends JedisPubSub {
        final List<String> got = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch subscribed;
        final CountDownLatch received;

        Recorder(int subscriptions, int messages) {
            subscribed = new CountDownLatch(subscriptions);
            received = new CountDownLatch(messages);
        }

        @Override public void onMessage(String channel, String message) { got.add(channel + "=" + message); received.countDown(); }
        @Override public void onPMessage(String pattern, String channel, String message) {
            got.add(pattern + ":" + channel + "=" + message);
            received.countDown();
        }
        @Override public void onSubscribe(String channel, int n) { subscribed.countDown(); }
        @Override public void onPSubscribe(String pattern, int n) { subscribed.countDown(); }
    }

    private Future<?> listen(Recorder r, boolean patterns, String... names) {
        return pool.submit(() -> {
            try (Jedis j = jedis()) {
                if (patterns) j.psubscribe(r, names);
                else j.subscribe(r, names);
            }
        });
    }

    @Test
    void channelsAndPatternsAcrossSeveralSubscribers() throws Exception {
        Recorder a = new Recorder(2, 3), b = new Recorder(2, 3);
        Future<?> fa = listen(a, false, "news", "sport");
        Future<?> fb = listen(b, true, "n*", "s?ort");
        assertTrue(a.subscribed.await(5, TimeUnit.SECONDS) && b.subscribed.await(5, TimeUnit.SECONDS));
        try (Jedis p = jedis()) {
            assertEquals(2, p.publish("news", "1"));
            assertEquals(2, p.publish("sport", "2"));
            assertEquals(2, p.publish("news", "3"));
            assertEquals(0, p.publish("weather", "4"));
            assertEquals(Map.of("news", 1L, "x", 0L), p.pubsubNumSub("news", "x"));
            assertEquals(2, p.pubsubNumPat());
        }
        assertTrue(a.received.await(5, TimeUnit.SECONDS) && b.received.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("news=1", "sport=2", "news=3"), a.got);
        assertEquals(List.of("n*:news=1", "s?ort:sport=2", "n*:news=3"), b.got);
        // Unsubscribe-all ends each subscription loop.
        a.unsubscribe();
        b.punsubscribe();
        fa.get(5, TimeUnit.SECONDS);
        fb.get(5, TimeUnit.SECONDS);
        try (Jedis p = jedis()) {
            assertEquals(0, p.publish("news", "after"));
            assertEquals(0, p.pubsubNumPat());
        }
    }

    @Test
    void subscriberToChannelAndMatchingPatternGetsBoth() throws Exception {
        Recorder r = new Recorder(2, 2);
        Future<?> f = pool.submit(() -> {
            try (Jedis j = jedis()) {
                j.subscribe(r, "ch");
            }
        });
        // JedisPubSub can add patterns to a running subscription.
        assertTrue(waitFor(() -> { try (Jedis p = jedis()) { return p.pubsubNumSub("ch").get("ch") == 1; } }));
        r.psubscribe("c*");
        assertTrue(r.subscribed.await(5, TimeUnit.SECONDS));
        try (Jedis p = jedis()) {
            assertEquals(2, p.publish("ch", "m"));
        }
        assertTrue(r.received.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("ch=m", "c*:ch=m"), r.got);
        r.unsubscribe();
        r.punsubscribe();
        f.get(5, TimeUnit.SECONDS);
    }

    interface Check { boolean ok() throws Exception; }

    static boolean waitFor(Check c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (c.ok()) return true;
            Thread.sleep(10);
        }
        return false;
    }

    static byte[] command(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static String readExactly(InputStream in, int n) throws IOException {
        byte[] buf = in.readNBytes(n);
        return new String(buf, StandardCharsets.ISO_8859_1);
    }

    @Test
    void subscriberThatDisconnectsIsForgotten() throws Exception {
        try (Jedis p = jedis()) {
            Socket s = new Socket("127.0.0.1", port);
            s.getOutputStream().write(command("SUBSCRIBE", "gone"));
            String confirm = "*3\r\n$9\r\nsubscribe\r\n$4\r\ngone\r\n:1\r\n";
            assertEquals(confirm, readExactly(s.getInputStream(), confirm.length()));
            assertEquals(1, p.publish("gone", "x"));
            s.close();
            assertTrue(waitFor(() -> p.pubsubNumSub("gone").get("gone") == 0));
            assertEquals(0, p.publish("gone", "y"));
        }
    }

    /**
     * A publisher hammers a channel while fresh connections subscribe to it: the first thing each subscriber
     * reads must be its confirmation, never a message that overtook it.
     */
    @Test
    void confirmationAlwaysPrecedesMessages() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Future<?> publisher = pool.submit(() -> {
            try (Jedis p = jedis()) {
                while (!stop.get()) p.publish("race", "m");
            }
            return null;
        });
        String confirm = "*3\r\n$9\r\nsubscribe\r\n$4\r\nrace\r\n:1\r\n";
        String message = "*3\r\n$7\r\nmessage\r\n$4\r\nrace\r\n$1\r\nm\r\n";
        try {
            for (int i = 0; i < 200; i++) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(5000);
                    s.getOutputStream().write(command("SUBSCRIBE", "race"));
                    InputStream in = s.getInputStream();
                    assertEquals(confirm, readExactly(in, confirm.length()), "attempt " + i);
                    assertEquals(message, readExactly(in, message.length()), "attempt " + i);
                }
            }
        } finally {
            stop.set(true);
            publisher.get(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A subscriber that never reads while 100 MB is published to it: past the (lowered) hard limit it is
     * disconnected, and the server's buffers stay near the limit instead of holding the whole 100 MB.
     */
    @Test
    void slowSubscriberIsDisconnectedAndMemoryStaysBounded() throws Exception {
        try (Jedis p = jedis(); Socket slow = new Socket()) {
            p.configSet("client-output-buffer-limit", "pubsub 4mb 1mb 60");
            slow.setReceiveBufferSize(64 * 1024);
            slow.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = slow.getOutputStream();
            out.write(command("SUBSCRIBE", "firehose"));
            assertTrue(waitFor(() -> p.pubsubNumSub("firehose").get("firehose") == 1));

            byte[] payload = new byte[64 * 1024];
            java.util.Arrays.fill(payload, (byte) 'x');
            byte[] channel = "firehose".getBytes(StandardCharsets.US_ASCII);
            // The server allocates replies and messages from Netty's default allocator in this JVM.
            ByteBufAllocatorMetric alloc = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
            long before = alloc.usedDirectMemory() + alloc.usedHeapMemory();
            long peak = 0;
            long delivered = 0;
            int total = 1600; // 100 MB
            long start = System.nanoTime();
            for (int sent = 0; sent < total; sent += 50) {
                Pipeline pl = p.pipelined();
                List<redis.clients.jedis.Response<Long>> rs = new ArrayList<>();
                for (int k = 0; k < 50; k++) rs.add(pl.publish(channel, payload));
                pl.sync();
                for (var r : rs) delivered += r.get();
                peak = Math.max(peak, alloc.usedDirectMemory() + alloc.usedHeapMemory());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(delivered < total, "the slow subscriber was never cut off");
            assertTrue(waitFor(() -> p.pubsubNumSub("firehose").get("firehose") == 0));
            long grown = peak - before;
            assertTrue(grown < 48L * 1024 * 1024, "server buffers grew by " + grown + " bytes");
            System.out.printf("slow subscriber: cut off after %d of %d messages; pooled buffers grew by at most %d KB; 100 MB published in %d ms%n",
                    delivered, total, grown / 1024, millis);
            // The socket ends: whatever the kernel buffered, then end of stream.
            slow.setSoTimeout(5000);
            InputStream in = slow.getInputStream();
            byte[] sink = new byte[64 * 1024];
            try {
                while (in.read(sink) >= 0) { }
            } catch (java.net.SocketException reset) {
                // a reset is as good as an end of stream
            }
        }
    }
}
