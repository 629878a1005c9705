package io.simplekv.pubsub;

import io.simplekv.config.ConfigException;
import io.simplekv.config.ServerConfig;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Keyspace notifications: with {@code notify-keyspace-events} set, a change to a key is published to
 * {@code __keyspace@<db>__:<key>} (message: the event) and/or {@code __keyevent@<db>__:<event>} (message: the key),
 * with Redis's flag letters and event names. Off by default, and then a notification costs one volatile read.
 */
public final class KeyspaceEvents {
    public static final int GENERIC = 1, STRING = 1 << 1, LIST = 1 << 2, SET = 1 << 3, HASH = 1 << 4, ZSET = 1 << 5,
            EXPIRED = 1 << 6, EVICTED = 1 << 7, STREAM = 1 << 8, KEY_MISS = 1 << 9, MODULE = 1 << 10, NEW = 1 << 11,
            KEYSPACE = 1 << 12, KEYEVENT = 1 << 13;
    /** What "A" stands for: every class but key-miss and new, as in Redis. */
    private static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private final PubSub pubsub;
    private final Supplier<ServerConfig> config;
    /** The config snapshot the flags were read from; snapshots change only on CONFIG SET, so this is a pointer test. */
    private volatile ServerConfig parsedFrom;
    private volatile int flags;

    public KeyspaceEvents(PubSub pubsub, Supplier<ServerConfig> config) {
        this.pubsub = pubsub;
        this.config = config;
    }

    /** The flags of a setting, or ConfigException for a letter Redis would refuse. */
    public static int parse(String value) {
        int f = 0;
        for (char ch : value.toCharArray()) {
            f |= switch (ch) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 't' -> STREAM;
                case 'm' -> KEY_MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                default -> throw new ConfigException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            };
        }
        return f;
    }

    /** The spelling CONFIG GET shows (Redis's keyspaceEventsFlagsToString). */
    public static String canonical(String value) {
        int f = parse(value);
        StringBuilder b = new StringBuilder();
        if ((f & ALL) == ALL) {
            b.append('A');
        } else {
            String letters = "g$lshzxetdn";
            int[] bits = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE, NEW};
            for (int i = 0; i < bits.length; i++) if ((f & bits[i]) != 0) b.append(letters.charAt(i));
        }
        if ((f & ALL) == ALL && (f & NEW) != 0) b.append('n');
        if ((f & KEYSPACE) != 0) b.append('K');
        if ((f & KEYEVENT) != 0) b.append('E');
        if ((f & KEY_MISS) != 0) b.append('m');
        return b.toString();
    }

    private int flags() {
        ServerConfig now = config.get();
        if (now != parsedFrom) {
            flags = parse(now.get("notify-keyspace-events"));
            parsedFrom = now;
        }
        return flags;
    }

    /** Whether any event is published now. */
    public boolean any() {
        return flags() != 0;
    }

    /** Whether events of class {@code type} are published now. */
    public boolean enabled(int type) {
        return (flags() & type) != 0;
    }

    /** Publishes one event of class {@code type} about {@code key} in database {@code db}, if enabled. */
    public void notify(int type, String event, int db, byte[] key) {
        int f = flags();
        if ((f & type) == 0) return;
        byte[] eventBytes = event.getBytes(StandardCharsets.US_ASCII);
        if ((f & KEYSPACE) != 0) pubsub.publish(concat("__keyspace@" + db + "__:", key), eventBytes);
        if ((f & KEYEVENT) != 0) pubsub.publish(concat("__keyevent@" + db + "__:", eventBytes), key);
    }

    private static byte[] concat(String prefix, byte[] tail) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[p.length + tail.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(tail, 0, out, p.length, tail.length);
        return out;
    }
}
