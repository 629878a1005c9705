package io.simplekv.command;

import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.pubsub.PubSub;
import io.simplekv.pubsub.PubSub.Kind;

import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/** SUBSCRIBE and friends, PUBLISH, SPUBLISH and the PUBSUB introspection subcommands, over the server's {@link PubSub}. */
final class PubSubCommands {
    private PubSubCommands() {}

    static void register(CommandTable.Builder t) {
        String g = "pubsub";
        String sub = "pubsub noscript loading stale subscribed_ok";
        t.add(command("subscribe", -2, sub, (c, a, o) -> subscribe(c, a, o, Kind.CHANNEL))
                .docs(g, "2.0.0", "Listens for messages published to channels.", "channel [channel ...]"));
        t.add(command("unsubscribe", -1, sub, (c, a, o) -> unsubscribe(c, a, o, Kind.CHANNEL))
                .docs(g, "2.0.0", "Stops listening to messages posted to channels.", "[channel [channel ...]]"));
        t.add(command("psubscribe", -2, sub, (c, a, o) -> subscribe(c, a, o, Kind.PATTERN))
                .docs(g, "2.0.0", "Listens for messages published to channels that match one or more patterns.",
                        "pattern [pattern ...]"));
        t.add(command("punsubscribe", -1, sub, (c, a, o) -> unsubscribe(c, a, o, Kind.PATTERN))
                .docs(g, "2.0.0", "Stops listening to messages published to channels that match one or more patterns.",
                        "[pattern [pattern ...]]"));
        t.add(command("ssubscribe", -2, sub, (c, a, o) -> subscribe(c, a, o, Kind.SHARD)).keys(1, -1, 1)
                .docs(g, "7.0.0", "Listens for messages published to shard channels.", "shardchannel [shardchannel ...]"));
        t.add(command("sunsubscribe", -1, sub, (c, a, o) -> unsubscribe(c, a, o, Kind.SHARD)).keys(1, -1, 1)
                .docs(g, "7.0.0", "Stops listening to messages posted to shard channels.",
                        "[shardchannel [shardchannel ...]]"));
        t.add(command("publish", 3, "pubsub loading stale fast",
                (c, a, o) -> o.integer(c.server().pubsub().publish(a[1], a[2])))
                .docs(g, "2.0.0", "Posts a message to a channel.", "channel message"));
        t.add(command("spublish", 3, "pubsub loading stale fast",
                (c, a, o) -> o.integer(c.server().pubsub().publishShard(a[1], a[2]))).keys(1, 1, 1)
                .docs(g, "7.0.0", "Post a message to a shard channel", "shardchannel message"));
        String intro = "pubsub loading stale";
        t.add(command("pubsub", -2, "", null)
                .docs(g, "2.8.0", "A container for Pub/Sub commands.", "")
                .sub(command("channels", -2, intro, (c, a, o) -> channels(c, a, o, false))
                        .docs(g, "2.8.0", "Returns the active channels.", "[pattern]"))
                .sub(command("numpat", 2, intro, (c, a, o) -> o.integer(c.server().pubsub().numPat()))
                        .docs(g, "2.8.0", "Returns a count of unique pattern subscriptions.", ""))
                .sub(command("numsub", -2, intro, (c, a, o) -> numsub(c, a, o, false))
                        .docs(g, "2.8.0", "Returns a count of subscribers to channels.", "[channel [channel ...]]"))
                .sub(command("shardchannels", -2, intro, (c, a, o) -> channels(c, a, o, true))
                        .docs(g, "7.0.0", "Returns the active shard channels.", "[pattern]"))
                .sub(command("shardnumsub", -2, intro, (c, a, o) -> numsub(c, a, o, true))
                        .docs(g, "7.0.0", "Returns the count of subscribers of shard channels.",
                                "[shardchannel [shardchannel ...]]"))
                .sub(command("help", 2, "loading stale", (c, a, o) -> Help.reply(o, "PUBSUB",
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
                        "    Return the number of subscribers for the specified shard level channel(s)"))
                        .docs(g, "6.2.0", "Returns helpful text about the different subcommands.", "")));
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

    private static void confirm(ReplySink out, String verb, byte[] name, int count) {
        out.array(3);
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

    static void numsub(Session c, byte[][] a, ReplySink out, boolean shard) {
        out.map(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            out.bulk(a[i]);
            out.integer(c.server().pubsub().numSub(shard, a[i]));
        }
    }
}
