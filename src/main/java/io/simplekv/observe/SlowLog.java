package io.simplekv.observe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Redis's slow log: the most recent commands that ran longer than slowlog-log-slower-than, newest first, at most
 * slowlog-max-len of them. Arguments are trimmed as Redis trims them (32 arguments, 128 bytes each) so a huge
 * request cannot make the log huge. Commands from any event loop add to it, hence the lock; it is taken only by
 * commands that were slow (or when the threshold is 0), never on the fast path.
 */
public final class SlowLog {
    static final int MAX_ARGS = 32;
    static final int MAX_ARG_BYTES = 128;

    public record Entry(long id, long unixSeconds, long micros, List<byte[]> args, String peer, String clientName) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    public synchronized void add(byte[][] args, long micros, String peer, String clientName, int maxLen) {
        entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, trimmed(args), peer, clientName));
        while (entries.size() > maxLen) entries.removeLast();
    }

    /** Up to count entries, newest first; -1 means all. */
    public synchronized List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext() && (count < 0 || out.size() < count)) out.add(it.next());
        return out;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void reset() {
        entries.clear();
    }

    private static List<byte[]> trimmed(byte[][] args) {
        int kept = Math.min(args.length, MAX_ARGS);
        if (args.length > MAX_ARGS) kept--; // the last slot says how many were left out
        List<byte[]> out = new ArrayList<>(kept + 1);
        for (int i = 0; i < kept; i++) {
            byte[] a = args[i];
            if (a.length <= MAX_ARG_BYTES) {
                out.add(a);
            } else {
                byte[] suffix = ("... (" + (a.length - MAX_ARG_BYTES) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                byte[] t = new byte[MAX_ARG_BYTES + suffix.length];
                System.arraycopy(a, 0, t, 0, MAX_ARG_BYTES);
                System.arraycopy(suffix, 0, t, MAX_ARG_BYTES, suffix.length);
                out.add(t);
            }
        }
        if (args.length > MAX_ARGS) {
            out.add(("... (" + (args.length - kept) + " more arguments)").getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }
}
