package io.simplekv.command.list;

import io.simplekv.command.BlockingPops;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Session;
import io.simplekv.replication.Argv;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.ListTable;
import io.simplekv.protocol.ReplySink;

import java.util.List;

import static io.simplekv.command.BlockingPops.timeout;
import static io.simplekv.command.CommandSpec.command;

/** BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP: the list pops that wait for an element (see BlockingPops). */
public final class BlockingListCommands {
    private BlockingListCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("blpop", (c, a, o) -> BlockingPops.popOne(c, a, o, KeyType.LIST, (cc, key, oo) -> popOne(cc, key, true, oo))));
        t.add(command("brpop", (c, a, o) -> BlockingPops.popOne(c, a, o, KeyType.LIST, (cc, key, oo) -> popOne(cc, key, false, oo))));
        t.add(command("blmove", (c, a, o) -> {
            boolean from = ListCommands.side(a[3]), to = ListCommands.side(a[4]);
            blockingMove(c, a, o, from, to, timeout(a[5]));
        }));
        t.add(command("brpoplpush", (c, a, o) -> blockingMove(c, a, o, false, true, timeout(a[3]))));
        t.add(command("blmpop", (c, a, o) -> BlockingPops.multiPop(c, a, o, KeyType.LIST, "LEFT", "RIGHT",
                (cc, key, p, oo) -> ListCommands.popCount(cc, key, p.first(), p.count(), oo))));
    }

    /** BLPOP/BRPOP's reply: [key, element]. */
    private static boolean popOne(Session c, byte[] key, boolean left, ReplySink out) {
        ListTable l = ListTable.open(c.db(), key);
        if (l == null || l.size() == 0) return false;
        byte[] e = l.pop(left);
        l.commit();
        ListCommands.popped(c, left, l, key);
        if (c.propagating()) c.propagateAs(Argv.of(left ? "LPOP" : "RPOP", key));
        out.array(2);
        out.bulk(key);
        out.bulk(e);
        return true;
    }

    private static void blockingMove(Session c, byte[][] a, ReplySink out, boolean fromLeft, boolean toLeft, long timeout) {
        ListTable src = ListTable.open(c.db(), a[1]);
        if (src != null) {
            ListCommands.move(c, a[1], a[2], fromLeft, toLeft, out);
            if (c.propagating()) {
                boolean brpoplpush = a.length == 4;
                c.propagateAs(brpoplpush ? Argv.of("RPOPLPUSH", a[1], a[2]) : Argv.of("LMOVE", a[1], a[2], a[3], a[4]));
            }
            return;
        }
        if (c.denyBlocking()) {
            out.nullBulk();
            return;
        }
        c.server().waits().block(c, a, List.of(a[1]), KeyType.LIST, timeout);
    }
}
