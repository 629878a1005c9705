package io.simplekv.command.server;

import io.simplekv.command.Args;
import io.simplekv.command.CommandSpec;
import io.simplekv.command.CommandTable;
import io.simplekv.command.ExecutionTrait;
import io.simplekv.command.Help;
import io.simplekv.command.Session;
import io.simplekv.command.generic.KeyCommands;
import io.simplekv.config.ConfigException;
import io.simplekv.config.ConfigRewrite;
import io.simplekv.config.Directive;
import io.simplekv.config.Directives;
import io.simplekv.keyspace.Records;
import io.simplekv.protocol.RedisError;

import java.nio.charset.StandardCharsets;
import io.simplekv.protocol.ReplySink;
import io.simplekv.text.Glob;
import io.simplekv.text.RedisNumbers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.simplekv.command.CommandSpec.command;

/** INFO, CONFIG, TIME, SHUTDOWN, SAVE, BGSAVE, LASTSAVE and the DEBUG subcommands Redis's own test suite relies on. */
public final class ServerCommands {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServerCommands.class);

    private ServerCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("info", (c, a, o) -> o.verbatim("txt", InfoReport.render(c, a))));
        t.add(command("time", ServerCommands::time));
        t.add(command("lastsave", (c, a, o) -> o.integer(c.server().persistence().lastSaveMillis() / 1000)));
        // LOCK_ALL: on the memory engine they write an RDB snapshot, which must be one point in time.
        t.add(command("save", (c, a, o) -> {
            if (c.server().persistence().persistent()) {
                c.server().persistence().save();
            } else {
                c.server().persistence().checkNoBackgroundSave();
                saveSnapshot(c);
            }
            o.ok();
        }).traits(ExecutionTrait.LOCK_ALL));
        t.add(command("bgsave", ServerCommands::bgsave).traits(ExecutionTrait.LOCK_ALL));
        t.add(command("bgrewriteaof", ServerCommands::bgrewriteaof).traits(ExecutionTrait.LOCK_ALL));
        t.add(command("shutdown", ServerCommands::shutdown).traits(ExecutionTrait.LOCK_ALL)); // SAVE: a snapshot
        t.add(command("config", null)
                .sub(command("get", ServerCommands::configGet))
                .sub(command("set", ServerCommands::configSet))
                .sub(command("resetstat", ServerCommands::resetStat))
                .sub(command("rewrite", ServerCommands::configRewrite))
                .sub(command("help", (c, a, o) -> Help.reply(o, "CONFIG",
                        "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
                        "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
                        "RESETSTAT", "    Reset statistics reported by the INFO command.",
                        "REWRITE", "    Rewrite the configuration file."))));
        MemoryCommands.register(t);
        LolwutCommand.register(t);
        // LOCK_ALL: DIGEST walks every database, DIGEST-VALUE and OBJECT read values.
        t.add(command("debug", ServerCommands::debug).traits(ExecutionTrait.PROTECTED, ExecutionTrait.LOCK_ALL));
    }

    static void time(Session c, byte[][] a, ReplySink out) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        out.array(2);
        out.bulk(Long.toString(micros / 1_000_000));
        out.bulk(Long.toString(micros % 1_000_000));
    }

    static void bgsave(Session c, byte[][] a, ReplySink out) {
        boolean schedule = false;
        if (a.length == 2 && Args.is(a[1], "SCHEDULE")) schedule = true;
        else if (a.length > 1) throw RedisError.SYNTAX;
        if (c.server().persistence().persistent()) {
            out.simple(c.server().persistence().bgsave(schedule));
        } else {
            // Holding every shard, the snapshot is of this moment: a copy of the data is taken now (as fork takes
            // Redis's copy-on-write view) and written on the background thread.
            c.unit().flush();
            out.simple(c.server().persistence().bgsaveSnapshot(RdbSnapshot.files(c.server()), schedule));
        }
    }

    /**
     * BGREWRITEAOF: there is no AOF to compact. The chronicle engine keeps the dataset in its maps, not as a log of
     * commands, so there is nothing to rewrite; the memory engine writes its snapshot, which is what DEBUG LOADAOF
     * and a restart read back. Redis's reply either way, complete when it goes out.
     */
    static void bgrewriteaof(Session c, byte[][] a, ReplySink out) {
        if (!c.server().persistence().persistent()) saveSnapshot(c);
        out.simple("Background append only file rewriting started");
    }

    /** The memory engine's SAVE: the keyspace as dir/dbfilename, an RDB file redis-server loads. */
    static void saveSnapshot(Session c) {
        c.unit().flush();
        try {
            c.server().persistence().saveSnapshot(RdbSnapshot.files(c.server()));
        } catch (java.io.IOException e) {
            RdbSnapshot.logFailure("SAVE", e);
            throw RedisError.err("SAVE failed: " + e.getMessage());
        }
    }

    /**
     * DEBUG RELOAD [NOSAVE] [NOFLUSH] [MERGE]: the keyspace and the FUNCTION libraries through an RDB file and back,
     * as debug.c does.
     */
    private static void reload(Session c, byte[][] a) {
        boolean save = true, flush = true, merge = false;
        for (int j = 2; j < a.length; j++) {
            if (Args.is(a[j], "NOSAVE")) save = false;
            else if (Args.is(a[j], "NOFLUSH")) flush = false;
            else if (Args.is(a[j], "MERGE")) merge = true;
            else throw RedisError.err("DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
        }
        c.unit().flush();
        if (save) {
            try {
                if (c.server().persistence().persistent()) {
                    var file = RdbSnapshot.files(c.server());
                    file.install(file.write(c.server().keyspace(), "temp-" + ProcessHandle.current().pid() + ".rdb"));
                } else {
                    c.server().persistence().saveSnapshot(RdbSnapshot.files(c.server()));
                }
            } catch (java.io.IOException e) {
                RdbSnapshot.logFailure("DEBUG RELOAD's save", e);
                throw RedisError.err("Error trying to save the RDB dump, check server logs.");
            }
        }
        if (flush) c.server().keyspace().flushAll();
        try {
            RdbSnapshot.load(c.server(), merge, flush);
        } catch (java.io.IOException | IllegalArgumentException e) {
            RdbSnapshot.logFailure("DEBUG RELOAD's load", e);
            throw RedisError.err("Error trying to load the RDB dump");
        }
        if (!c.server().persistence().persistent()) c.server().persistence().snapshotLoaded();
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT], parsed as Redis 7.0 does. Shutting down always forces a
     * persistent engine's files to disk before they are marked cleanly closed, so NOSAVE saves nothing it could
     * skip; NOW has no replicas to skip waiting for. A failed force stops the shutdown unless FORCE is given, as
     * a failed final RDB save does in Redis. On the memory engine, SAVE, or any save points without NOSAVE, write
     * the final RDB snapshot first, as prepareForShutdown does; a failed one stops the shutdown the same way.
     */
    static void shutdown(Session c, byte[][] a, ReplySink out) {
        if (a.length > 5) throw RedisError.SYNTAX;
        boolean nosave = false, save = false, force = false, abort = false, now = false;
        for (int i = 1; i < a.length; i++) {
            if (Args.is(a[i], "NOSAVE")) nosave = true;
            else if (Args.is(a[i], "SAVE")) save = true;
            else if (Args.is(a[i], "NOW")) now = true;
            else if (Args.is(a[i], "FORCE")) force = true;
            else if (Args.is(a[i], "ABORT")) abort = true;
            else throw RedisError.SYNTAX;
        }
        if ((abort && (nosave || save || now || force)) || (nosave && save)) throw RedisError.SYNTAX;
        // A shutdown here never waits (no replicas), so there is never one in progress to abort.
        if (abort) throw RedisError.err("No shutdown in progress.");
        var persistence = c.server().persistence();
        if (!nosave) {
            String failure = null;
            if (persistence.persistent()) {
                try {
                    persistence.syncForShutdown();
                } catch (RuntimeException e) {
                    failure = "forcing the data to disk failed: " + e.getMessage();
                }
            } else if (save || persistence.savePoints().any()) {
                log.info("Saving the final RDB snapshot before exiting.");
                try {
                    saveSnapshot(c);
                    log.info("DB saved on disk");
                } catch (RedisError e) {
                    failure = e.getMessage();
                }
            }
            if (failure != null && !force) {
                log.warn("Error trying to save the DB, can't exit: {}", failure);
                throw RedisError.err("Errors trying to SHUTDOWN. Check logs.");
            }
            if (failure != null) log.warn("Error trying to save the DB. Exit anyway: {}", failure);
        }
        // Like Redis, a successful SHUTDOWN sends no reply: the client sees the connection close.
        c.server().requestShutdown();
    }

    /** CONFIG REWRITE: the file the server started from, rewritten as Redis does ({@link ConfigRewrite}). */
    static void configRewrite(Session c, byte[][] a, ReplySink out) {
        java.nio.file.Path file = c.server().configFile();
        if (file == null) throw RedisError.err("The server is running without a config file");
        try {
            ConfigRewrite.rewriteFile(file, c.server().config(), AclCommands.userLines(c));
        } catch (java.io.IOException | RuntimeException e) {
            String reason = e instanceof java.nio.file.AccessDeniedException ? "Permission denied" : String.valueOf(e.getMessage());
            log.warn("CONFIG REWRITE failed: {}", reason);
            throw RedisError.err("Rewriting config file: " + reason);
        }
        log.info("CONFIG REWRITE executed with success.");
        out.ok();
    }

    static void configGet(Session c, byte[][] a, ReplySink out) {
        Map<String, String> values = c.server().config().values();
        Map<String, String> found = new LinkedHashMap<>();
        for (int i = 2; i < a.length; i++) {
            String asked = Args.text(a[i]);
            String lower = asked.toLowerCase();
            // A plain name (or alias) is looked up directly and echoed as the client spelled it, as Redis does.
            Directive exact = Directives.find(lower);
            if (exact != null) {
                found.put(asked, values.get(exact.name()));
                continue;
            }
            byte[] pattern = Args.bytes(lower);
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (Directives.listed(e.getKey()) && Glob.matches(pattern, Args.bytes(e.getKey()))) {
                    found.put(e.getKey(), e.getValue());
                }
            }
            for (Map.Entry<String, String> alias : Directives.ALIASES.entrySet()) {
                String target = values.get(alias.getValue());
                if (target != null && Glob.matches(pattern, Args.bytes(alias.getKey()))) found.put(alias.getKey(), target);
            }
        }
        // The master followed now (REPLICAOF), not the one the config file named.
        MasterLink link = c.server().masterLink();
        String following = link == null ? "" : link.host() + " " + link.port();
        found.replaceAll((name, value) -> name.equalsIgnoreCase("replicaof") || name.equalsIgnoreCase("slaveof") ? following : value);
        out.map(found.size());
        for (Map.Entry<String, String> e : found.entrySet()) {
            out.bulk(e.getKey());
            out.bulk(e.getValue());
        }
    }

    static void configSet(Session c, byte[][] a, ReplySink out) {
        if (a.length % 2 != 0) throw RedisError.SYNTAX;
        Set<String> seen = new HashSet<>();
        List<String[]> changes = new ArrayList<>();
        for (int i = 2; i < a.length; i += 2) {
            String name = Args.text(a[i]).toLowerCase();
            Directive d = Directives.find(name);
            if (d == null) {
                throw RedisError.err("Unknown option or number of arguments for CONFIG SET - '" + Args.text(a[i]) + "'");
            }
            if (!seen.add(d.name())) throw failed(name, "duplicate parameter");
            changes.add(new String[] {d.name(), Args.text(a[i + 1])});
        }
        // Check every change on a copy first, so a bad one leaves the config untouched, as in Redis.
        io.simplekv.config.ServerConfig probe = c.server().config();
        for (String[] ch : changes) {
            Directive d = Directives.find(ch[0]);
            // Redis's PROTECTED_CONFIG: where the data is written, unless enable-protected-configs allows it. (Redis
            // can change dir at runtime; here it is fixed at start, so allowed it still meets the immutable check.)
            if (PROTECTED_CONFIGS.contains(ch[0]) && !c.server().allows("enable-protected-configs", c)) {
                throw failed(ch[0], "can't set protected config");
            }
            if (!d.mutable() && !(SAME_VALUE_ACCEPTED.contains(ch[0]) && sameValue(c, d, ch[1]))) {
                throw failed(ch[0], "can't set immutable config");
            }
            try {
                probe = probe.with(ch[0], words(d, ch[1]));
            } catch (ConfigException e) {
                throw failed(ch[0], e.getMessage());
            }
        }
        String tlsChange = null;
        for (String[] ch : changes) if (ch[0].startsWith("tls-") && tlsChange == null) tlsChange = ch[0];
        if (tlsChange != null) {
            String failure = c.server().reconfigureTls(c.server().config(), probe);
            if (failure != null) throw failed(tlsChange, failure);
        }
        boolean bindChanged = !probe.bind.equals(c.server().config().bind);
        if (probe.port != c.server().config().port || bindChanged) {
            String failure = c.server().rebind(probe.bind, probe.port);
            if (failure != null) throw failed(probe.port != c.server().config().port ? "port" : "bind", failure);
        }
        for (String[] ch : changes) {
            Directive d = Directives.find(ch[0]);
            if (d.mutable()) c.server().liveConfig().set(ch[0], words(d, ch[1])); // else the same value: nothing to do
        }
        out.ok();
    }

    /**
     * Fixed here, but not in Redis (loglevel: slf4j-simple reads it once) or not Redis's at all (the engine's): a
     * CONFIG SET to the value already in force is accepted and changes nothing, as a client replaying CONFIG GET *
     * expects; any other value is refused.
     */
    private static final Set<String> SAME_VALUE_ACCEPTED = Set.of("loglevel", "storage", "chronicle-entries",
            "chronicle-average-key-size", "chronicle-average-value-size", "import-rdb");

    private static boolean sameValue(Session c, Directive d, String value) {
        return words(d, value).equals(words(d, c.server().config().get(d.name())));
    }

    private static List<String> words(Directive d, String value) {
        if (d.kind() != Directive.Kind.MULTI) return List.of(value);
        String trimmed = value.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private static RedisError failed(String name, String reason) {
        return RedisError.err("CONFIG SET failed (possibly related to argument '" + name + "') - " + reason);
    }

    static void resetStat(Session c, byte[][] a, ReplySink out) {
        c.server().stats().reset();
        for (CommandSpec spec : c.server().commands().all()) {
            spec.stats.reset();
            for (CommandSpec sub : spec.subcommands.values()) sub.stats.reset();
        }
        out.ok();
    }

    /**
     * DEBUG SLEEP's duration as Redis computes it: strtod (text that isn't a number is 0) times 10^6 into a long
     * long, where an out-of-range product (inf, nan, 1e300) becomes LLONG_MIN on x86 and the sleep returns at once.
     */
    static long sleepMillis(byte[] arg) {
        double seconds = io.simplekv.text.Strtod.parse(arg, 0);
        if (Double.isNaN(seconds)) return 0;
        double micros = seconds * 1_000_000;
        if (!(micros < 0x1p63) || micros < -0x1p63) return -1;
        return (long) micros / 1000;
    }

    private static void sleepOnScriptThread(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The directives Redis 7.0 flags PROTECTED_CONFIG. */
    private static final Set<String> PROTECTED_CONFIGS = Set.of("dir", "dbfilename");

    /**
     * DEBUG POPULATE count [prefix] [size], as debug.c: string keys prefix:0..count-1 (prefix "key") holding
     * "value:N", cut or zero-padded to size when one is given; a key that exists is left as it is. One command
     * under every shard's lock, as Redis runs it in one go: a test and benchmark aid behind enable-debug-command.
     */
    private static void populate(Session c, byte[][] a) {
        long count = Args.nonNegative(a[2], "value is out of range, must be positive");
        long size = a.length == 5 ? Args.nonNegative(a[4], "value is out of range, must be positive") : 0;
        if (size > c.server().config().protoMaxBulkLen) {
            throw RedisError.err("string exceeds maximum allowed size (proto-max-bulk-len)");
        }
        byte[] prefix = a.length >= 4 ? a[3] : "key".getBytes(StandardCharsets.US_ASCII);
        io.simplekv.keyspace.Database db = c.db();
        for (long j = 0; j < count; j++) {
            byte[] number = (":" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] key = java.util.Arrays.copyOf(prefix, prefix.length + number.length);
            System.arraycopy(number, 0, key, prefix.length, number.length);
            if (db.lookup(key) != null) continue;
            byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] value = size == 0 ? text : java.util.Arrays.copyOf(text, (int) size);
            db.put(key, Records.string(value, Records.NO_EXPIRY));
        }
    }

    static void debug(Session c, byte[][] a, ReplySink out) {
        if (Args.is(a[1], "SLEEP") && a.length == 3) {
            long millis = sleepMillis(a[2]);
            // Only this client waits (its later requests are held back meanwhile): nothing sleeps on an event loop.
            // A script's sleep is the script's time, on the script thread, as Redis's sleeps inside the script.
            if (millis > 0 && c.isScript()) sleepOnScriptThread(millis);
            if (millis <= 0 || c.denyBlocking()) out.ok();
            else c.server().waits().pause(c, a, millis);
        } else if (Args.is(a[1], "SET-ACTIVE-EXPIRE") && a.length == 3) {
            // Redis reads the flag with atoi: anything not a number is 0.
            c.server().expirer().setEnabled(RedisNumbers.atoi(a[2]) != 0);
            out.ok();
        } else if (Args.is(a[1], "PAUSE-CRON") && a.length == 3) {
            // Redis's test hook: the periodic chores (active expiry, tracking's table limit...) stop until resumed.
            c.server().pauseCron(RedisNumbers.atoi(a[2]) != 0);
            out.ok();
        } else if (Args.is(a[1], "SET-DISABLE-DENY-SCRIPTS") && a.length == 3) {
            // Redis's test hook: scripts may then run commands flagged noscript (CLIENT LIST in a loop, say).
            c.server().scripts().denyNoscript(RedisNumbers.atoi(a[2]) == 0);
            out.ok();
        } else if (Args.is(a[1], "PROTOCOL") && a.length == 3) {
            protocolSample(c, Args.text(a[2]).toLowerCase(java.util.Locale.ROOT), out);
        } else if (Args.is(a[1], "OBJECT") && a.length == 3) {
            // As Redis's dictFind: a key past its TTL that nothing has deleted yet is still described.
            byte[] rec = c.db().peek(a[2]);
            if (rec == null) throw RedisError.NO_SUCH_KEY;
            int bits = c.db().access(a[2]);
            out.simple("Value at:0x0 refcount:1 encoding:" + KeyCommands.encodingOf(rec)
                    + " serializedlength:" + Records.payloadLength(rec) + " lru:" + Math.max(0, bits)
                    + " lru_seconds_idle:" + c.server().keyspace().access().idleSeconds(bits));
        } else if (Args.is(a[1], "QUICKLIST-PACKED-THRESHOLD") && a.length == 3) {
            // Redis's test knob for when a list element gets a node of its own. Our list pages take an element of
            // any size, so there is nothing to tune: the value is checked as Redis checks it, then unused.
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,12})(b|k|kb|m|mb|g|gb)?",
                    java.util.regex.Pattern.CASE_INSENSITIVE).matcher(Args.text(a[2]));
            long size = -1;
            if (m.matches()) {
                String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT);
                long mul = switch (unit) {
                    case "k" -> 1000L; case "kb" -> 1024L; case "m" -> 1000_000L; case "mb" -> 1L << 20;
                    case "g" -> 1000_000_000L; case "gb" -> 1L << 30; default -> 1L;
                };
                size = Long.parseLong(m.group(1)) * mul;
            }
            // memtoull, then quicklistisSetPackedThreshold's bound (0 means its default).
            if (size < 0 || size > (1L << 32) - (1L << 20)) {
                throw RedisError.err("argument must be a memory value bigger than 1 and smaller than 4gb");
            }
            out.ok();
        } else if (Args.is(a[1], "POPULATE") && a.length >= 3 && a.length <= 5) {
            populate(c, a);
            out.ok();
        } else if (Args.is(a[1], "RELOAD")) {
            reload(c, a);
            out.ok();
        } else if (Args.is(a[1], "HTSTATS-KEY") && (a.length == 3 || a.length == 4)) {
            byte[] rec = c.db().lookup(a[2]);
            if (rec == null) throw RedisError.err("no such key");
            String encoding = io.simplekv.command.generic.KeyCommands.encodingOf(rec);
            if (!encoding.equals("hashtable") && !encoding.equals("skiplist")) {
                throw RedisError.err("The value stored at the specified key is not represented using an hash table");
            }
            // Not a Redis dict: there are no buckets, chains or rehashing to report.
            out.bulk("[Dictionary HT]\nsimplekv keeps these members in its own paged table; Redis's dict statistics "
                    + "(table size, chain lengths, rehashing) do not apply.\n");
        } else if (Args.is(a[1], "LOADAOF") && a.length == 2) {
            // There is no AOF: the dataset goes through the engine's own persistence and back, as a reload does,
            // which is what a test of "survives a restart from the AOF" asks.
            reload(c, new byte[][] {a[0], a[1]});
            out.ok();
        } else if (Args.is(a[1], "DIGEST") && a.length == 2) {
            c.unit().flush(); // a walk over the tables sees this transaction's own writes
            out.simple(DatasetDigest.hex(new DatasetDigest().dataset(c)));
        } else if (Args.is(a[1], "DIGEST-VALUE")) {
            DatasetDigest digest = new DatasetDigest();
            out.array(a.length - 2);
            for (int j = 2; j < a.length; j++) out.simple(DatasetDigest.hex(digest.key(c, a[j])));
        } else if (Args.is(a[1], "HELP")) {
            Help.reply(out, "DEBUG", "DIGEST", "    Output a hex signature representing the current DB content.",
                    "DIGEST-VALUE <key> [<key> ...]", "    Output a hex signature of the values of all the specified keys.",
                    "OBJECT <key>", "    Show low level info about the key.",
                    "PAUSE-CRON <0|1>", "    Stop periodic cron job processing.",
                    "POPULATE <count> [<prefix>] [<size>]",
                    "    Create <count> string keys named key:<num>. If <prefix> is specified then",
                    "    it is used instead of the 'key' prefix. These are not propagated to",
                    "    replicas. Cluster slots are not respected so keys not belonging to the",
                    "    current node can be created in cluster mode.",
                    "PROTOCOL <type>", "    Reply with a test value of the specified type. <type> can be: string,",
                    "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,", "    true, false.",
                    "SET-ACTIVE-EXPIRE <0|1>", "    Setting it to 0 disables expiring keys in background.",
                    "SET-DISABLE-DENY-SCRIPTS <0|1>", "    For testing only, when set to 1 scripts may run commands flagged noscript.",
                    "SLEEP <seconds>", "    Stop the server for <seconds>. Decimals allowed.");
        } else {
            throw Help.syntaxError(a[1], "DEBUG");
        }
    }

    /** DEBUG PROTOCOL: one sample reply of each RESP type, as the client's protocol writes it (Redis's test hook). */
    private static void protocolSample(Session c, String type, ReplySink out) {
        switch (type) {
            case "string" -> out.bulk("Hello World");
            case "integer" -> out.integer(12345);
            case "double" -> out.doubleValue(3.141);
            case "bignum" -> out.bigNumber("1234567999999999999999999999999999999");
            case "null" -> out.nullBulk();
            case "array", "set" -> {
                if (type.equals("set")) out.set(3);
                else out.array(3);
                for (int j = 0; j < 3; j++) out.integer(j);
            }
            case "map" -> {
                out.map(3);
                for (int j = 0; j < 3; j++) {
                    out.integer(j);
                    out.bool(j == 1);
                }
            }
            // Attributes and pushes are not replies of their own: a real reply follows, and RESP2 has no attributes.
            case "attrib" -> {
                if (c.protocolVersion() >= 3) {
                    out.attribute(1);
                    out.bulk("key-popularity");
                    out.array(2);
                    out.bulk("key:123");
                    out.integer(90);
                }
                out.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (c.protocolVersion() < 3) throw RedisError.err("RESP2 is not supported by this command");
                out.push(2);
                out.bulk("server-cpu-usage");
                out.integer(42);
                out.bulk("Some real reply following the push reply");
            }
            case "true" -> out.bool(true);
            case "false" -> out.bool(false);
            case "verbatim" -> out.verbatim("txt", "This is a verbatim\nstring");
            default -> throw RedisError.err("Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }
}
