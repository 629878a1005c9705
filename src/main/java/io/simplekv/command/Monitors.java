package io.simplekv.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients in MONITOR mode and the feed they get: one line per executed command, Redis's format
 * {@code +<sec>.<usec> [<db> <ip:port>] "arg" ...}, encoded once and shared by every monitor (as pub/sub is).
 */
public final class Monitors {
    private final Set<Session> monitors = ConcurrentHashMap.newKeySet();

    public boolean any() {
        return !monitors.isEmpty();
    }

    public void add(Session c) {
        monitors.add(c);
    }

    public void remove(Session c) {
        monitors.remove(c);
    }

    public boolean contains(Session c) {
        return monitors.contains(c);
    }

    /** Sends one executed command (already redacted) to every monitor. */
    public void feed(Session from, byte[][] args) {
        java.time.Instant now = java.time.Instant.now();
        String usec = Integer.toString(now.getNano() / 1000);
        StringBuilder line = new StringBuilder(64).append('+').append(now.getEpochSecond()).append('.')
                .append("000000", usec.length(), 6).append(usec).append(" [").append(from.dbIndex()).append(' ')
                .append(from.address()).append("] ");
        for (int i = 0; i < args.length; i++) {
            if (i > 0) line.append(' ');
            quoted(line, args[i]);
        }
        line.append("\r\n");
        ByteBuf encoded = ByteBufAllocator.DEFAULT.buffer(line.length());
        encoded.writeCharSequence(line, StandardCharsets.ISO_8859_1);
        try {
            for (Session m : monitors) m.deliver(encoded.retainedDuplicate());
        } finally {
            encoded.release();
        }
    }

    /** Redis's sdscatrepr: a double-quoted string with C escapes and \xHH for other non-printable bytes. */
    static void quoted(StringBuilder out, byte[] b) {
        out.append('"');
        for (byte x : b) {
            int c = x & 0xff;
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                default -> {
                    if (c >= 0x20 && c < 0x7f) out.append((char) c);
                    else out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                }
            }
        }
        out.append('"');
    }
}
