package io.simplekv.acl;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

/**
 * ACL LOG (Redis's ACLLog): denied commands, keys, channels and failed AUTHs, newest first. A denial like one of
 * the ten newest (same reason, context, object and user, within a minute) bumps that entry's count instead.
 */
public final class AclLog {
    private static final long GROUPING_MILLIS = 60_000;
    private static final int SCANNED = 10;

    public enum Reason {
        COMMAND("command"), KEY("key"), CHANNEL("channel"), AUTH("auth");

        public final String text;

        Reason(String text) {
            this.text = text;
        }
    }

    public enum Context {
        TOPLEVEL("toplevel"), MULTI("multi"), LUA("lua");

        public final String text;

        Context(String text) {
            this.text = text;
        }
    }

    /** One entry as ACL LOG shows it; count, time and client info change when a like denial is grouped in. */
    public record Entry(long count, Reason reason, Context context, String object, String username, long millis,
                        String clientInfo) {
        boolean like(Entry e) {
            return reason == e.reason && context == e.context && object.equals(e.object)
                    && username.equals(e.username) && Math.abs(millis - e.millis) <= GROUPING_MILLIS;
        }
    }

    private final LinkedList<Entry> entries = new LinkedList<>();

    public synchronized void add(Reason reason, Context context, String object, String username, String clientInfo,
                                 long maxLen) {
        Entry e = new Entry(1, reason, context, object, username, System.currentTimeMillis(), clientInfo);
        var it = entries.listIterator();
        for (int i = 0; i < SCANNED && it.hasNext(); i++) {
            Entry old = it.next();
            if (old.like(e)) {
                it.remove();
                entries.addFirst(new Entry(old.count + 1, reason, context, object, username, e.millis, clientInfo));
                return;
            }
        }
        entries.addFirst(e);
        while (entries.size() > maxLen) entries.removeLast();
    }

    /** The newest {@code count} entries. */
    public synchronized List<Entry> newest(long count) {
        return new ArrayList<>(entries.subList(0, (int) Math.min(count, entries.size())));
    }

    public synchronized void reset() {
        entries.clear();
    }
}
