package io.simplekv.command;

import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.ListTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.RedisNumbers;

import java.util.Arrays;
import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP: try at once like the non-blocking command;
 * if every key is empty, park the client (Waits), whose command runs again when one of its keys gets data. Inside
 * EXEC they never wait (Redis's CLIENT_DENY_BLOCKING): an empty key answers nil.
 */
final class BlockingCommands {
    private BlockingCommands() {}

    static void register(CommandTable.Builder t) {
        t.add(command("blpop", (c, a, o) -> blockingPopOne(c, a, o, KeyType.LIST, (cc, key, oo) -> popOne(cc, key, true, oo))));
        t.add(command("brpop", (c, a, o) -> blockingPopOne(c, a, o, KeyType.LIST, (cc, key, oo) -> popOne(cc, key, false, oo))));
        t.add(command("blmove", (c, a, o) -> {
            boolean from = ListCommands.side(a[3]), to = ListCommands.side(a[4]);
            blockingMove(c, a, o, from, to, timeout(a[5]));
        }));
        t.add(command("brpoplpush", (c, a, o) -> blockingMove(c, a, o, false, true, timeout(a[3]))));
        t.add(command("blmpop", (c, a, o) -> blockingMultiPop(c, a, o, KeyType.LIST, "LEFT", "RIGHT",
                (cc, key, p, oo) -> ListCommands.popCount(cc, key, p.first(), p.count(), oo))));
        t.add(command("bzpopmin", (c, a, o) -> blockingPopOne(c, a, o, KeyType.ZSET, (cc, key, oo) -> zpopOne(cc, key, true, oo))));
        t.add(command("bzpopmax", (c, a, o) -> blockingPopOne(c, a, o, KeyType.ZSET, (cc, key, oo) -> zpopOne(cc, key, false, oo))));
        t.add(command("bzmpop", (c, a, o) -> blockingMultiPop(c, a, o, KeyType.ZSET, "MIN", "MAX", ZSetCommands::popKey)));
    }

    /** One pop from one key, writing the reply; false (nothing written) when the key holds nothing to pop. */
    private interface OnePop {
        boolean pop(Session c, byte[] key, ReplySink out);
    }

    /** BLPOP, BRPOP, BZPOPMIN, BZPOPMAX: keys then a timeout; the first key with something to pop answers. */
    private static void blockingPopOne(Session c, byte[][] a, ReplySink out, KeyType type, OnePop pop) {
        long timeout = timeout(a[a.length - 1]);
        for (int i = 1; i < a.length - 1; i++) {
            if (pop.pop(c, a[i], out)) return;
        }
        if (c.denyBlocking()) {
            out.nullArray();
            return;
        }
        c.server().waits().block(c, a, Arrays.asList(a).subList(1, a.length - 1), type, timeout);
    }

    /** BZPOPMIN/BZPOPMAX's reply: a flat [key, member, score]. */
    private static boolean zpopOne(Session c, byte[] key, boolean min, ReplySink out) {
        io.simplekv.keyspace.ZSetTable z = ZSetCommands.read(c, key);
        if (z == null) return false;
        io.simplekv.keyspace.ZSetTable.Entry e = ZSetCommands.pop(c, key, z, min, 1).get(0);
        out.array(3);
        out.bulk(key);
        out.bulk(e.member());
        ZSetCommands.score(out, e.score());
        return true;
    }

    /** Redis's getTimeoutFromObjectOrReply in seconds: a float, rounded up to milliseconds; 0 waits forever. */
    static long timeout(byte[] arg) {
        double seconds = RedisNumbers.parseDouble(arg);
        if (Double.isNaN(seconds)) throw RedisError.err("timeout is not a float or out of range");
        double ms = Math.ceil(seconds * 1000.0);
        // C's (long long) of an out-of-range value is LLONG_MIN on x86, which Redis then reports as negative.
        if (ms < 0 || ms >= 0x1p63) throw RedisError.err("timeout is negative");
        return (long) ms;
    }

    private static boolean popOne(Session c, byte[] key, boolean left, ReplySink out) {
        ListTable l = ListTable.open(c.db(), key);
        if (l == null || l.size() == 0) return false;
        byte[] e = l.pop(left);
        l.commit();
        ListCommands.popped(c, left, l, key);
        out.array(2);
        out.bulk(key);
        out.bulk(e);
        return true;
    }

    static void blockingMove(Session c, byte[][] a, ReplySink out, boolean fromLeft, boolean toLeft, long timeout) {
        ListTable src = ListTable.open(c.db(), a[1]);
        if (src != null) {
            ListCommands.move(c, a[1], a[2], fromLeft, toLeft, out);
            return;
        }
        if (c.denyBlocking()) {
            out.nullBulk();
            return;
        }
        c.server().waits().block(c, a, List.of(a[1]), KeyType.LIST, timeout);
    }

    /** One key's part of a multi-pop: false (nothing written) when the key has nothing to pop. */
    private interface KeyPop {
        boolean pop(Session c, byte[] key, ListCommands.MultiPop p, ReplySink out);
    }

    /** BLMPOP and BZMPOP: timeout numkeys key... side [COUNT n]; the first key with something to pop answers. */
    private static void blockingMultiPop(Session c, byte[][] a, ReplySink out, KeyType type,
                                         String firstWord, String secondWord, KeyPop keyPop) {
        ListCommands.MultiPop p = ListCommands.MultiPop.parse(a, 2, firstWord, secondWord);
        long timeout = timeout(a[1]);
        for (int i = p.firstKey(); i < p.endKey(); i++) {
            if (keyPop.pop(c, a[i], p, out)) return;
        }
        if (c.denyBlocking()) {
            out.nullArray();
            return;
        }
        c.server().waits().block(c, a, p.keys(a), type, timeout);
    }

}
