package io.simplekv.command;

import io.simplekv.support.EngineKind;
import io.simplekv.support.RecordedReplies;
import io.simplekv.support.RecordedReplies.Entry;
import io.simplekv.support.RespTree;
import io.simplekv.support.ServerFixture;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our COMMAND replies against what Redis 7.0.15 itself answered (src/test/resources/redis-7.0.15, recorded by
 * scripts/tools/record-redis-commands.sh), byte for byte, for every command and subcommand our table has. Redis
 * lists a container's subcommands in hash order, different on each start, and lists all of its own: the expected
 * reply keeps only the subcommands we have, in name order, as we list them. Nothing else is adjusted. Each file
 * was recorded in RESP2 (.resp2) and after HELLO 3 (.resp3); both are compared, the latter on a connection that
 * said HELLO 3 too.
 */
class RedisCommandReferenceTest {
    @TempDir
    Path dir;
    private ServerFixture server;
    private Wire r;
    /** A connection that said HELLO 3, for the .resp3 recordings. */
    private Wire r3;
    private CommandTable table;

    @BeforeEach
    void start() {
        server = new ServerFixture(EngineKind.MEMORY, dir);
        r = server.connect();
        r3 = server.connect();
        r3.call("HELLO", "3");
        table = server.context().commands();
    }

    @AfterEach
    void stop() {
        r.close();
        r3.close();
        server.close();
    }

    @Test
    void recordedRepliesReadBackUnchanged() {
        for (String file : List.of("command-info.resp2", "command-docs.resp2", "command-getkeys.resp2", "command-misc.resp2",
                "command-info.resp3", "command-docs.resp3", "command-getkeys.resp3", "command-misc.resp3")) {
            List<Entry> entries = RecordedReplies.load(file);
            assertTrue(entries.size() > 30, file);
            for (Entry e : entries) assertEquals(e.reply(), RespTree.parse(e.reply()).encode(), e.request());
        }
    }

    @Test
    void commandInfoIsRedisForEveryCommandWeHave() {
        compareEach("command-info.resp2", this::withOurInfoSubcommands);
    }

    @Test
    void commandDocsIsRedisForEveryCommandWeHave() {
        compareEach("command-docs.resp2", this::withOurDocsSubcommands);
    }

    @Test
    void commandInfoIsRedisForEveryCommandWeHaveInResp3() {
        compareEach("command-info.resp3", this::withOurInfoSubcommands);
    }

    @Test
    void commandDocsIsRedisForEveryCommandWeHaveInResp3() {
        compareEach("command-docs.resp3", this::withOurDocsSubcommands);
    }

    /** COMMAND INFO/DOCS name: ours for names in our table (all of them must be there), nil/absent for the rest. */
    private void compareEach(String file, UnaryOperator<RespTree> expectedFor) {
        List<String> differing = new ArrayList<>();
        Entry firstDiff = null;
        String firstExpected = null;
        Set<String> compared = new TreeSet<>();
        for (Entry e : RecordedReplies.load(file)) {
            String name = e.args().get(2);
            String actual = send(e, file);
            if (CommandIntrospection.byFullName(table, name) == null) {
                boolean resp3 = file.endsWith("3");
                String absent = file.contains("info") ? (resp3 ? "*1\r\n_\r\n" : "*1\r\n$-1\r\n") : (resp3 ? "%0\r\n" : "*0\r\n");
                assertEquals(absent, actual, "a command we lack is unknown: " + name);
                continue;
            }
            String expected = expectedFor.apply(RespTree.parse(e.reply())).encode();
            compared.add(name);
            if (!expected.equals(actual)) {
                differing.add(name);
                if (firstDiff == null) {
                    firstDiff = e;
                    firstExpected = expected;
                }
            }
        }
        if (firstDiff != null) {
            assertEquals(firstExpected, send(firstDiff, file), differing.size() + " differ from Redis: " + differing);
        }
        assertEquals(ourFullNames(), compared, "every command and subcommand we have was compared");
    }

    @Test
    void commandGetkeysIsRedisForEverySampleOfOurs() {
        for (String file : List.of("command-getkeys.resp2", "command-getkeys.resp3")) {
            int compared = 0;
            for (Entry e : RecordedReplies.load(file)) {
                List<String> args = e.args();
                if (!ours(args.subList(2, args.size()))) continue;
                assertEquals(e.reply(), send(e, file), file + ": " + String.join(" ", args));
                compared++;
            }
            assertTrue(compared > 150, "only " + compared + " samples name commands we have");
        }
    }

    @Test
    void otherCommandFormsAreRedis() {
        for (String file : List.of("command-misc.resp2", "command-misc.resp3")) {
            for (Entry e : RecordedReplies.load(file)) {
                // Lists the hyperloglog commands, which we don't have.
                if (String.join(" ", e.args()).equals("COMMAND LIST FILTERBY ACLCAT hyperloglog")) continue;
                assertEquals(e.reply(), send(e, file), file + ": " + String.join(" ", e.args()));
            }
        }
    }

    /** A sample names a command we have, or one Redis doesn't have either (then both say it is invalid). */
    private boolean ours(List<String> request) {
        String name = request.get(0).toLowerCase(Locale.ROOT);
        CommandMeta redis = CommandCatalog.redis().command(name);
        if (redis == null) return true;
        CommandSpec spec = table.lookup(name);
        if (spec == null) return false;
        if (request.size() < 2 || !spec.isContainer()) return true;
        String sub = request.get(1).toLowerCase(Locale.ROOT);
        return spec.subcommands.containsKey(sub) || !redis.subcommands().containsKey(sub);
    }

    /** COMMAND INFO's reply [[name, ..., subcommands]]: subcommands (the 10th field) cut to ours. */
    private RespTree withOurInfoSubcommands(RespTree reply) {
        RespTree info = reply.children.get(0);
        RespTree subs = info.children.get(9);
        List<RespTree> kept = new ArrayList<>();
        for (RespTree sub : subs.children) {
            if (CommandIntrospection.byFullName(table, sub.children.get(0).string()) != null) kept.add(sub);
        }
        kept.sort(Comparator.comparing(s -> s.children.get(0).string()));
        info.children.set(9, RespTree.aggregate(subs.kind, kept));
        return reply;
    }

    /** COMMAND DOCS's reply {name: {..., "subcommands": {full name: docs}}}: subcommands cut to ours. */
    private RespTree withOurDocsSubcommands(RespTree reply) {
        List<RespTree> docs = reply.children.get(1).children;
        for (int i = 0; i < docs.size(); i += 2) {
            if (!docs.get(i).string().equals("subcommands")) continue;
            List<RespTree> pairs = docs.get(i + 1).children;
            List<RespTree[]> kept = new ArrayList<>();
            for (int j = 0; j < pairs.size(); j += 2) {
                if (CommandIntrospection.byFullName(table, pairs.get(j).string()) != null) {
                    kept.add(new RespTree[] {pairs.get(j), pairs.get(j + 1)});
                }
            }
            kept.sort(Comparator.comparing(p -> p[0].string()));
            List<RespTree> flat = new ArrayList<>();
            for (RespTree[] p : kept) flat.addAll(List.of(p));
            docs.set(i + 1, RespTree.aggregate(docs.get(i + 1).kind, flat));
        }
        return reply;
    }

    private Set<String> ourFullNames() {
        Set<String> names = new TreeSet<>();
        for (CommandSpec spec : table.all()) {
            names.add(spec.fullName);
            for (CommandSpec sub : spec.subcommands.values()) names.add(sub.fullName);
        }
        return names;
    }

    /** Sends a recorded request on the connection of the file's protocol. */
    private String send(Entry e, String file) {
        return (file.endsWith("3") ? r3 : r).sendBytes(e.request().getBytes(StandardCharsets.ISO_8859_1));
    }
}
