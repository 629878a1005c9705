package io.simplekv.command.sorted_set;

import io.simplekv.command.BlockingPops;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Session;
import io.simplekv.replication.Argv;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.ZSetTable;
import io.simplekv.protocol.ReplySink;

import static io.simplekv.command.CommandSpec.command;

/** BZPOPMIN, BZPOPMAX, BZMPOP: the sorted-set pops that wait for a member (see BlockingPops). */
public final class BlockingZSetCommands {
    private BlockingZSetCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("bzpopmin", (c, a, o) -> BlockingPops.popOne(c, a, o, KeyType.ZSET, (cc, key, oo) -> popOne(cc, key, true, oo))));
        t.add(command("bzpopmax", (c, a, o) -> BlockingPops.popOne(c, a, o, KeyType.ZSET, (cc, key, oo) -> popOne(cc, key, false, oo))));
        t.add(command("bzmpop", (c, a, o) -> BlockingPops.multiPop(c, a, o, KeyType.ZSET, "MIN", "MAX", ZSetCommands::popKey)));
    }

    /** BZPOPMIN/BZPOPMAX's reply: a flat [key, member, score]. */
    private static boolean popOne(Session c, byte[] key, boolean min, ReplySink out) {
        ZSetTable z = ZSetCommands.read(c, key);
        if (z == null) return false;
        ZSetTable.Entry e = ZSetCommands.pop(c, key, z, min, 1).get(0);
        if (c.propagating()) c.propagateAs(Argv.of(min ? "ZPOPMIN" : "ZPOPMAX", key));
        out.array(3);
        out.bulk(key);
        out.bulk(e.member());
        ZSetCommands.score(out, e.score());
        return true;
    }
}
