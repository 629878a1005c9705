package io.simplekv.command.pubsub;

import io.simplekv.command.CommandTable;
import io.simplekv.command.Help;
import io.simplekv.command.Session;
import io.simplekv.protocol.ReplySink;
import io.simplekv.pubsub.PubSub;
import io.simplekv.pubsub.PubSub.Kind;

import java.util.List;

import static io.simplekv.command.CommandSpec.command;
import static io.simplekv.command.ExecutionTrait.SUBSCRIBED_OK;

/** SUBSCRIBE and friends, PUBLISH, SPUBLISH and the PUBSUB introspection subcommands, over the server's {@link PubSub}. */
public final class PubSubCommands {
    private PubSubCommands() {}

    public static void register(CommandTable.Builder t) {
        String sub = "pubsub noscript loading stale subscribed_ok";
        t.add(command("subscribe", (c, a, o) -> subscribe(c, a, o, Kind.CHANNEL)).traits(SUBSCRIBED_OK));
        t.add(command("unsubscribe", (c, a, o) -> unsubscribe(c, a, o, Kind.CHANNEL)).traits(SUBSCRIBED_OK));
        t.add(command("psubscribe", (c, a, o) -> subscribe(c, a, o, Kind.PATTERN)).traits(SUBSCRIBED_OK));
        t.add(command("punsubscribe", (c, a, o) -> unsubscribe(c, a, o, Kind.PATTERN)).traits(SUBSCRIBED_OK));
        t.add(command("ssubscribe", (c, a, o) -> subscribe(c, a, o, Kind.SHARD)).traits(SUBSCRIBED_OK));
        t.add(command("sunsubscribe", (c, a, o) -> unsubscribe(c, a, o, Kind.SHARD)).traits(SUBSCRIBED_OK));
        // Replicas get every message too (Redis's forceCommandPropagation), so their subscribers hear it.
        t.add(command("publish", (c, a, o) -> {
            o.integer(c.server().pubsub().publish(a[1], a[2]));
            c.forcePropagation();
        }));
        t.add(command("spublish", (c, a, o) -> {
            o.integer(c.server().pubsub().publishShard(a[1], a[2]));
            c.forcePropagation();
        }));
        t.add(command("pubsub", null)
                .sub(command("channels", (c, a, o) -> channels(c, a, o, false)))
                .sub(command("numpat", (c, a, o) -> o.integer(c.server().pubsub().numPat())))
                .sub(command("numsub", (c, a, o) -> numsub(c, a, o, false)))
                .sub(command("shardchannels", (c, a, o) -> channels(c, a, o, true)))
                .sub(command("shardnumsub", (c, a, o) -> numsub(c, a, o, true)))
                .sub(command("help", (c, a, o) -> Help.reply(o, "PUBSUB",
                        "CHANNELS [<pattern>]",
                        "    Return the currently active channels matching a <pattern> (default: '*').",
                        "NUMPAT",
                        "    Return number of subscriptions to patterns.",
                        "NUMSUB [<channel> ...]",
                        "    Return the number of subscribers for the specified channels, excluding",
                        "    pattern subscriptions(default: no channels).",
                        "SHARDCHANNELS [<pattern>]",
                        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                        "SHARDNUMSUB [<shardchannel> ...]",
                        "    Return the number of subscribers for the specified shard level channel(s)"))));
    }

    private static String verb(Kind kind, boolean subscribe) {
        return switch (kind) {
            case CHANNEL -> subscribe ? "subscribe" : "unsubscribe";
            case PATTERN -> subscribe ? "psubscribe" : "punsubscribe";
            case SHARD -> subscribe ? "ssubscribe" : "sunsubscribe";
        };
    }

    /** Shard subscriptions are counted apart from channels and patterns, as Redis 7.0 does. */
    private static int count(Session c, Kind kind) {
        return kind == Kind.SHARD ? c.subscriptions().shardChannels() : c.subscriptions().count();
    }

    /** Redis's addReplyPubsubSubscribed: an array in RESP2, a push in RESP3. */
    private static void confirm(ReplySink out, String verb, byte[] name, int count) {
        out.push(3);
        out.bulk(verb);
        out.bulkOrNull(name);
        out.integer(count);
    }

    /**
     * Registering happens while the confirmation is still in this batch's reply buffer; a message published
     * meanwhile on another event loop reaches us as a task that runs after the batch is flushed (see
     * Session#deliver), so the confirmation always arrives first.
     */
    static void subscribe(Session c, byte[][] a, ReplySink out, Kind kind) {
        c.replyIsPush();
        PubSub ps = c.server().pubsub();
        String verb = verb(kind, true);
        for (int i = 1; i < a.length; i++) {
            ps.subscribe(c, kind, a[i]);
            confirm(out, verb, a[i], count(c, kind));
        }
    }

    static void unsubscribe(Session c, byte[][] a, ReplySink out, Kind kind) {
        c.replyIsPush();
        PubSub ps = c.server().pubsub();
        String verb = verb(kind, false);
        List<byte[]> names = a.length > 1 ? List.of(a).subList(1, a.length) : ps.subscribed(c, kind);
        if (names.isEmpty()) {
            confirm(out, verb, null, count(c, kind));
            return;
        }
        for (byte[] name : names) {
            ps.unsubscribe(c, kind, name);
            confirm(out, verb, name, count(c, kind));
        }
    }

    static void channels(Session c, byte[][] a, ReplySink out, boolean shard) {
        if (a.length > 3) {
            throw Help.syntaxError(a[1], "PUBSUB");
        }
        List<byte[]> names = c.server().pubsub().channels(shard, a.length == 3 ? a[2] : null);
        out.array(names.size());
        for (byte[] n : names) out.bulk(n);
    }

    /** A flat array of channel, count pairs in either protocol: Redis 7.0 replies an array, not a map, here. */
    static void numsub(Session c, byte[][] a, ReplySink out, boolean shard) {
        out.array(2 * (a.length - 2));
        for (int i = 2; i < a.length; i++) {
            out.bulk(a[i]);
            out.integer(c.server().pubsub().numSub(shard, a[i]));
        }
    }
}
