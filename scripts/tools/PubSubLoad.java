import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Pub/sub load for scripts/bench-pubsub.sh: N subscribers on one channel (one NIO selector thread), one publisher
 * sending M messages of S bytes as fast as replies come back (pipelined in windows). Each payload starts with the
 * publish time in nanoseconds, so each subscriber measures delivery latency on the same clock.
 * Prints: delivered msgs/s, p50 and p99 latency in microseconds.
 * Usage: java PubSubLoad.java PORT SUBSCRIBERS MESSAGES PAYLOAD_BYTES
 */
public class PubSubLoad {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]), subscribers = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]), size = Integer.parseInt(args[3]);
        Selector selector = Selector.open();
        List<Subscriber> subs = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ch.write(ByteBuffer.wrap("*2\r\n$9\r\nSUBSCRIBE\r\n$5\r\nbench\r\n".getBytes(StandardCharsets.US_ASCII)));
            ch.configureBlocking(false);
            Subscriber s = new Subscriber(messages);
            ch.register(selector, SelectionKey.OP_READ, s);
            subs.add(s);
        }
        // Wait until every subscription is confirmed, then publish from another thread.
        long expected = (long) subscribers * messages;
        while (subs.stream().mapToLong(s -> s.confirmed).sum() < subscribers) pump(selector);
        Thread publisher = new Thread(() -> publish(port, messages, size));
        long start = System.nanoTime();
        publisher.start();
        long deadline = start + 120_000_000_000L;
        while (subs.stream().mapToLong(s -> s.received).sum() < expected && System.nanoTime() < deadline) pump(selector);
        long elapsed = System.nanoTime() - start;
        long delivered = subs.stream().mapToLong(s -> s.received).sum();
        long[] all = subs.stream().flatMapToLong(s -> Arrays.stream(s.latencies, 0, s.samples)).sorted().toArray();
        System.out.printf("%d %d %d%n", (long) (delivered / (elapsed / 1e9)),
                all.length == 0 ? -1 : all[all.length / 2] / 1000, all.length == 0 ? -1 : all[(int) (all.length * 0.99)] / 1000);
        System.exit(delivered == expected ? 0 : 1);
    }

    static void pump(Selector selector) throws IOException {
        selector.select(100);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            ((Subscriber) k.attachment()).read((SocketChannel) k.channel());
        }
    }

    static void publish(int port, int messages, int size) {
        try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            int window = 64;
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            int sent = 0, replies = 0;
            while (replies < messages) {
                ByteBuffer out = ByteBuffer.allocate(window * (size + 64));
                int burst = Math.min(window, messages - sent);
                for (int i = 0; i < burst; i++) {
                    byte[] payload = new byte[size];
                    Arrays.fill(payload, (byte) 'x');
                    String ts = Long.toString(System.nanoTime());
                    System.arraycopy(ts.getBytes(StandardCharsets.US_ASCII), 0, payload, 0, ts.length());
                    payload[ts.length()] = ':';
                    out.put(("*3\r\n$7\r\nPUBLISH\r\n$5\r\nbench\r\n$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.put(payload).put("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                sent += burst;
                out.flip();
                while (out.hasRemaining()) ch.write(out);
                int want = replies + burst;
                while (replies < want) {
                    ch.read(in);
                    in.flip();
                    while (in.hasRemaining()) if (in.get() == '\n') replies++;
                    in.clear();
                }
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** Counts "message" pushes by their payload lines; a payload begins with "<nanos>:". */
    static final class Subscriber {
        final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        final long[] latencies;
        int samples;
        long received, confirmed;
        private final StringBuilder line = new StringBuilder();

        Subscriber(int messages) {
            latencies = new long[Math.min(messages, 10_000)];
        }

        void read(SocketChannel ch) throws IOException {
            buf.clear();
            if (ch.read(buf) < 0) throw new IOException("subscriber disconnected");
            buf.flip();
            long now = System.nanoTime();
            while (buf.hasRemaining()) {
                char c = (char) buf.get();
                if (c == '\n') {
                    onLine(line, now);
                    line.setLength(0);
                } else if (c != '\r') {
                    line.append(c);
                }
            }
        }

        private void onLine(StringBuilder l, long now) {
            if (l.length() == 9 && l.toString().equals("subscribe")) confirmed++;
            int colon = l.indexOf(":");
            if (colon > 0 && Character.isDigit(l.charAt(0))) {
                received++;
                long ts = Long.parseLong(l.substring(0, colon));
                if (samples < latencies.length) latencies[samples++] = now - ts;
            }
        }
    }
}
