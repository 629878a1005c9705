package io.simplekv.command.server;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.RespParser;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** INFO, TIME, CONFIG, COMMAND, DEBUG and the dispatcher's errors; replies checked against redis-server 7.0.15. */
@ParameterizedClass
@EnumSource(EngineKind.class)
@SuppressWarnings("unchecked")
class ServerCommandsTest extends ServerTestBase {
    @Override
    protected Map<String, String> config() {
        return Map.of("enable-debug-command", "yes");
    }



    private String info(String... sections) {
        String[] cmd = new String[sections.length + 1];
        cmd[0] = "INFO";
        System.arraycopy(sections, 0, cmd, 1, sections.length);
        return (String) RespParser.parse(r.call(cmd));
    }

    /** field → value of an INFO text, checking Redis's layout: "# Section" headers, name:value lines, CRLF. */
    private static Map<String, String> infoFields(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        assertTrue(text.isEmpty() || text.endsWith("\r\n"), "INFO text must end with CRLF");
        for (String line : text.split("\r\n")) {
            if (line.isEmpty() || line.startsWith("# ")) continue;
            int colon = line.indexOf(':');
            assertTrue(colon > 0, "bad INFO line '" + line + "'");
            m.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return m;
    }

    private static List<String> headers(String text) {
        List<String> h = new ArrayList<>();
        Matcher m = Pattern.compile("^# (\\w+)$", Pattern.MULTILINE).matcher(text.replace("\r\n", "\n"));
        while (m.find()) h.add(m.group(1));
        return h;
    }

    // ---- INFO ----

    @Test
    void infoDefaultHasRedisFieldNames() {
        r.call("SET", "a", "1");
        r.call("GET", "a");
        r.call("GET", "missing");
        try (Wire other = server.connect()) {
            String text = info();
            Map<String, String> f = infoFields(text);
            assertTrue(text.startsWith("# Server\r\nredis_version:7.0.15\r\n"), text);
            assertEquals("standalone", f.get("redis_mode"));
            assertEquals("2", f.get("connected_clients"));
            assertEquals("10000", f.get("maxclients"));
            assertTrue(f.get("used_memory").matches("[1-9][0-9]*"), f.get("used_memory"));
            assertTrue(f.get("uptime_in_seconds").matches("[0-9]+"));
            assertEquals("1", f.get("keyspace_hits"));
            assertEquals("1", f.get("keyspace_misses"));
            assertEquals("master", f.get("role"));
            assertEquals("keys=1,expires=0,avg_ttl=0", f.get("db0"));
            for (String name : new String[] {"redis_git_sha1", "process_id", "run_id", "tcp_port", "hz",
                    "blocked_clients", "used_memory_human", "used_memory_rss", "maxmemory_policy", "loading",
                    "rdb_changes_since_last_save", "total_connections_received", "total_commands_processed",
                    "instantaneous_ops_per_sec", "total_net_input_bytes", "rejected_connections", "expired_keys",
                    "evicted_keys", "total_error_replies", "connected_slaves", "master_repl_offset", "used_cpu_sys",
                    "used_cpu_user"}) {
                assertTrue(f.containsKey(name), "INFO lacks " + name);
            }
            assertFalse(text.contains("cmdstat_"), "commandstats is not a default section");
            assertTrue(text.endsWith("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n"), text);
            assertTrue(text.contains("\r\n\r\n# Clients\r\n"), "sections are separated by a blank line");
        }
    }

    @Test
    void infoDefaultSectionsAreRedisOnes() {
        assertEquals(List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules",
                "Errorstats", "Cluster", "Keyspace"), headers(info()));
        assertEquals(headers(info()), headers(info("default")));
        assertEquals(List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules",
                "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace"), headers(info("all")));
    }

    @Test
    void infoSelectedSections() {
        assertEquals("$12\r\n# Keyspace\r\n\r\n", r.call("INFO", "keyspace"));
        r.call("SET", "k", "v");
        assertEquals(bulk("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n"), r.call("INFO", "keyspace"));
        r.call("SELECT", "2");
        r.call("SET", "k2", "v");
        r.call("SET", "k3", "v");
        assertEquals(bulk("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\ndb2:keys=2,expires=0,avg_ttl=0\r\n"),
                r.call("INFO", "KEYSPACE"));
        assertEquals(List.of("Server", "Clients"), headers(info("clients", "server")));
        assertEquals(List.of("Commandstats", "Keyspace"), headers(info("KEYSPACE", "commandstats")));
        assertEquals(headers(info("all")), headers(info("everything")));
        assertEquals("$0\r\n\r\n", r.call("INFO", "nosuchsection"));
    }

    @Test
    void infoClusterSection() {
        assertEquals(bulk("# Cluster\r\ncluster_enabled:0\r\n"), r.call("INFO", "cluster"));
    }

    @Test
    void infoCommandstats() {
        r.call("CONFIG", "RESETSTAT");
        r.call("SET", "a", "x");
        r.call("SET", "b", "y");
        r.call("INCR", "a");
        r.call("GET");
        r.call("CONFIG", "GET", "port");
        String text = info("commandstats");
        assertTrue(text.startsWith("# Commandstats\r\n"), text);
        assertTrue(Pattern.compile("\r\ncmdstat_set:calls=2,usec=[0-9]+,usec_per_call=[0-9]+\\.[0-9]{2},rejected_calls=0,"
                + "failed_calls=0\r\n").matcher(text).find(), text);
        assertTrue(text.contains("\r\ncmdstat_incr:calls=1,"), text);
        assertTrue(Pattern.compile("\r\ncmdstat_incr:calls=1,usec=[0-9]+,usec_per_call=[0-9.]+,rejected_calls=0,failed_calls=1\r\n")
                .matcher(text).find(), text);
        assertTrue(text.contains("\r\ncmdstat_get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0\r\n"), text);
        assertTrue(text.contains("\r\ncmdstat_config|get:calls=1,"), text);
        assertTrue(text.contains("\r\ncmdstat_config|resetstat:calls=1,"), text);
        assertFalse(text.contains("cmdstat_info"), "INFO is counted after it replies");
        assertFalse(text.contains("cmdstat_del"), text);
    }

    @Test
    void configResetstat() {
        r.call("SET", "a", "x");
        r.call("GET", "a");
        r.call("GET", "zz");
        r.call("FOO");
        assertEquals(OK, r.call("CONFIG", "RESETSTAT"));
        String stats = info("commandstats");
        assertTrue(Pattern.compile("^# Commandstats\r\ncmdstat_config\\|resetstat:calls=1,usec=[0-9]+,"
                + "usec_per_call=[0-9.]+,rejected_calls=0,failed_calls=0\r\n$").matcher(stats).find(), stats);
        Map<String, String> f = infoFields(info("stats"));
        assertEquals("0", f.get("keyspace_hits"));
        assertEquals("0", f.get("keyspace_misses"));
        assertEquals("0", f.get("total_error_replies"));
        assertEquals(error("ERR wrong number of arguments for 'config|resetstat' command"),
                r.call("CONFIG", "RESETSTAT", "x"));
    }

    /** Only commands that ran count; unknown and rejected ones do not, and INFO is counted after it replies. */
    @Test
    void totalCommandsProcessedCountsExecutedCommands() {
        r.call("CONFIG", "RESETSTAT");
        r.call("SET", "a", "x");
        r.call("GET");
        r.call("FOO");
        r.call("GET", "a");
        Map<String, String> f = infoFields(info("stats"));
        assertEquals("3", f.get("total_commands_processed"));
        assertEquals("1", f.get("keyspace_hits"));
        assertEquals("2", f.get("total_error_replies"));
    }

    // ---- TIME ----

    @Test
    void time() {
        long before = System.currentTimeMillis() / 1000;
        List<Object> t = RespParser.array(r.call("TIME"));
        long after = System.currentTimeMillis() / 1000;
        assertEquals(2, t.size());
        String secs = (String) t.get(0), micros = (String) t.get(1);
        assertTrue(secs.matches("[1-9][0-9]{9}"), secs);
        assertTrue(micros.matches("0|[1-9][0-9]{0,5}"), micros);
        long s = Long.parseLong(secs);
        assertTrue(s >= before && s <= after, s + " not in [" + before + ", " + after + "]");
        assertEquals(error("ERR wrong number of arguments for 'time' command"), r.call("TIME", "x"));
    }

    // ---- CONFIG GET ----

    @Test
    void configGet() {
        assertEquals("*2\r\n$18\r\nproto-max-bulk-len\r\n$9\r\n536870912\r\n", r.call("CONFIG", "GET", "proto-max-bulk-len"));
        assertEquals(array("client-query-buffer-limit", "1073741824"), r.call("CONFIG", "GET", "client-query-buffer-limit"));
        assertEquals(array("maxmemory", "0"), r.call("CONFIG", "GET", "maxmemory"));
        assertEquals(array("maxclients", "10000"), r.call("CONFIG", "GET", "maxclient?"));
        assertEquals(array("maxclients", "10000"), r.call("CONFIG", "GET", "MAXCLIENT?"));
        assertEquals(array("maxmemory-samples", "5"), r.call("CONFIG", "GET", "max*-samples"));
        assertEquals(array("databases", "16"), r.call("CONFIG", "GET", "databases"));
        assertEquals(array("maxmemory-policy", "noeviction"), r.call("CONFIG", "GET", "maxmemory-policy"));
        assertEquals(array("hz", "10"), r.call("CONFIG", "GET", "hz"));
        assertEquals("*0\r\n", r.call("CONFIG", "GET", "nosuch"));
        assertEquals("*0\r\n", r.call("CONFIG", "GET", "nosuch*"));
        assertEquals(error("ERR wrong number of arguments for 'config|get' command"), r.call("CONFIG", "GET"));
    }

    @Test
    void configGetSeveralPatterns() {
        Map<String, Object> m = RespParser.map(r.call("CONFIG", "GET", "maxclients", "hz", "nosuch", "maxmemory-s*"));
        assertEquals(Map.of("maxclients", "10000", "hz", "10", "maxmemory-samples", "5"), m);
        // A parameter matched by several patterns is listed once.
        assertEquals(array("hz", "10"), r.call("CONFIG", "GET", "hz", "hz", "h?"));
        Map<String, Object> all = RespParser.map(r.call("CONFIG", "GET", "*"));
        assertEquals("536870912", all.get("proto-max-bulk-len"));
        assertEquals("16", all.get("databases"));
    }

    /** For a name without glob characters Redis answers with the name as the client wrote it. */
    @Test
    void configGetExactNameKeepsItsCase() {
        assertEquals(array("MAXCLIENTS", "10000"), r.call("CONFIG", "GET", "MAXCLIENTS"));
    }

    // ---- CONFIG SET ----

    @Test
    void configSetTakesEffectOnMaxclients() {
        assertEquals(OK, r.call("CONFIG", "SET", "maxclients", "1"));
        assertEquals(array("maxclients", "1"), r.call("CONFIG", "GET", "maxclients"));
        assertEquals("1", infoFields(info("clients")).get("maxclients"));
        try (Wire refused = server.connect()) {
            assertEquals("-ERR max number of clients reached\r\n", refused.received());
            assertFalse(refused.isOpen());
        }
        assertEquals("1", infoFields(info("stats")).get("rejected_connections"));
        assertEquals(OK, r.call("CONFIG", "SET", "maxclients", "10000"));
        try (Wire accepted = server.connect()) {
            assertEquals("", accepted.received());
            assertEquals("+PONG\r\n", accepted.call("PING"));
        }
    }

    @Test
    void configSetErrors() {
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be "
                + "parsed into an integer"), r.call("CONFIG", "SET", "maxclients", "abc"));
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be "
                + "parsed into an integer"), r.call("CONFIG", "SET", "maxclients", "5kb"));
        assertEquals(error("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"),
                r.call("CONFIG", "SET", "nosuch", "1"));
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
                r.call("CONFIG", "SET", "databases", "5"));
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
                r.call("CONFIG", "SET", "databases", "abc"));
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'maxclients') - duplicate parameter"),
                r.call("CONFIG", "SET", "maxclients", "10", "maxclients", "20"));
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'"),
                r.call("CONFIG", "SET", "appendonly", "maybe"));
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"),
                r.call("CONFIG", "SET", "maxmemory", "1.5gb"));
        assertEquals(error("ERR wrong number of arguments for 'config|set' command"), r.call("CONFIG", "SET", "maxclients"));
        assertEquals(error("ERR unknown subcommand 'FOO'. Try CONFIG HELP."), r.call("CONFIG", "FOO"));
        assertEquals(array("maxclients", "10000"), r.call("CONFIG", "GET", "maxclients"));
    }

    /** maxmemory-clients takes memory or a percentage, as redis-server 7.0.15 answers (checked side by side). */
    @Test
    void maxmemoryClientsTakesMemoryOrAPercentage() {
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage "
                + "argument must be less or equal to 100"), r.call("CONFIG", "SET", "maxmemory", "1", "maxmemory-clients", "200%"));
        assertEquals(array("maxmemory", "0"), r.call("CONFIG", "GET", "maxmemory"), "rolled back whole");
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - argument must be "
                + "a memory or percent value"), r.call("CONFIG", "SET", "maxmemory-clients", "abc"));
        assertEquals(OK, r.call("CONFIG", "SET", "maxmemory-clients", "10%"));
        assertEquals(array("maxmemory-clients", "10%"), r.call("CONFIG", "GET", "maxmemory-clients"));
        assertEquals(OK, r.call("CONFIG", "SET", "maxmemory-clients", "1mb"));
        assertEquals(array("maxmemory-clients", "1048576"), r.call("CONFIG", "GET", "maxmemory-clients"));
    }

    /** port is a mutable config in Redis 7, so a bad value is a parse error, not an immutability error. */
    @Test
    void configSetPortIsMutable() {
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be parsed "
                + "into an integer"), r.call("CONFIG", "SET", "port", "abc"));
    }

    @Test
    void configSetIsAllOrNothing() {
        assertEquals(OK, r.call("CONFIG", "SET", "maxclients", "10", "hz", "20"));
        assertEquals(array("hz", "20"), r.call("CONFIG", "GET", "hz"));
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be "
                + "parsed into an integer"), r.call("CONFIG", "SET", "hz", "30", "maxclients", "abc"));
        assertEquals(array("hz", "20"), r.call("CONFIG", "GET", "hz"));
        assertEquals(array("maxclients", "10"), r.call("CONFIG", "GET", "maxclients"));
    }

    @Test
    void configSetMemoryValues() {
        assertEquals(OK, r.call("CONFIG", "SET", "maxmemory", "100K"));
        assertEquals(array("maxmemory", "100000"), r.call("CONFIG", "GET", "maxmemory"));
        assertEquals(OK, r.call("CONFIG", "SET", "maxmemory", "2mb"));
        assertEquals(array("maxmemory", "2097152"), r.call("CONFIG", "GET", "maxmemory"));
        assertEquals(OK, r.call("CONFIG", "SET", "proto-max-bulk-len", "1mb"));
        assertEquals(array("proto-max-bulk-len", "1048576"), r.call("CONFIG", "GET", "proto-max-bulk-len"));
        assertEquals(OK, r.call("CONFIG", "SET", "MAXMEMORY", "0"));
        assertEquals(array("maxmemory", "0"), r.call("CONFIG", "GET", "maxmemory"));
    }

    @Test
    void configSetOddArgumentCountIsASyntaxError() {
        assertEquals(SYNTAX, r.call("CONFIG", "SET", "maxclients", "10", "hz"));
    }

    @Test
    void configSetRangeErrorsUseRedisBounds() {
        assertAll(
                () -> assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument "
                        + "must be between 1 and 4294967295 inclusive"), r.call("CONFIG", "SET", "maxclients", "0")),
                () -> assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - "
                        + "argument must be between 1048576 and 9223372036854775807 inclusive"),
                        r.call("CONFIG", "SET", "proto-max-bulk-len", "1")),
                () -> assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'client-query-buffer-limit') - "
                        + "argument must be between 1048576 and 9223372036854775807 inclusive"),
                        r.call("CONFIG", "SET", "client-query-buffer-limit", "100k")));
        assertEquals(array("proto-max-bulk-len", "536870912"), r.call("CONFIG", "GET", "proto-max-bulk-len"));
    }

    @Test
    void configSetEnumErrorListsRedisChoices() {
        assertEquals(error("ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be "
                + "one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, "
                + "allkeys-lfu, allkeys-random, noeviction"), r.call("CONFIG", "SET", "maxmemory-policy", "foo"));
    }

    /** Redis clamps hz into 1..500 instead of refusing. */
    @Test
    void configSetHzIsClamped() {
        assertAll(
                () -> assertEquals(OK, r.call("CONFIG", "SET", "hz", "0")),
                () -> assertEquals(array("hz", "1"), r.call("CONFIG", "GET", "hz")),
                () -> assertEquals(OK, r.call("CONFIG", "SET", "hz", "1000")),
                () -> assertEquals(array("hz", "500"), r.call("CONFIG", "GET", "hz")));
    }

    // ---- COMMAND ----

    @Test
    void commandCountMatchesCommand() {
        long count = (Long) RespParser.parse(r.call("COMMAND", "COUNT"));
        assertTrue(count > 50, "only " + count + " commands");
        assertEquals(count, RespParser.array(r.call("COMMAND")).size());
        assertEquals(count, RespParser.array(r.call("COMMAND", "INFO")).size());
        assertTrue(RespParser.array(r.call("COMMAND", "LIST")).size() > count, "COMMAND LIST names subcommands too");
        assertEquals(error("ERR wrong number of arguments for 'command|count' command"), r.call("COMMAND", "COUNT", "x"));
    }

    private static final String GET_INFO_HEAD = "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
            + "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n";

    @Test
    void commandInfoGet() {
        String reply = r.call("COMMAND", "INFO", "get");
        assertTrue(reply.startsWith("*1\r\n" + GET_INFO_HEAD), reply);
        List<Object> get = (List<Object>) RespParser.array(reply).get(0);
        assertEquals("get", get.get(0));
        assertEquals(2L, get.get(1));
        assertEquals(List.of("readonly", "fast"), get.get(2));
        assertEquals(List.of(1L, 1L, 1L), get.subList(3, 6));
        assertEquals(List.of(), get.get(9));
        List<Object> mset = (List<Object>) RespParser.array(r.call("COMMAND", "INFO", "MSET")).get(0);
        assertEquals(List.of("mset", -3L), mset.subList(0, 2));
        assertEquals(List.of(1L, -1L, 2L), mset.subList(3, 6));
    }

    /** The key-spec element (the 9th) as Redis 7 sends it for GET. */
    @Test
    void commandInfoGetKeySpecs() {
        assertEquals("*1\r\n" + GET_INFO_HEAD + "*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
                + "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n"
                + "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n"
                + "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n", r.call("COMMAND", "INFO", "get"));
    }

    @Test
    void commandInfoSubcommand() {
        assertEquals("*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n"
                + ":0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n",
                r.call("COMMAND", "INFO", "CONFIG|GET"));
    }

    @Test
    void commandInfoUnknownIsNil() {
        assertEquals("*1\r\n$-1\r\n", r.call("COMMAND", "INFO", "nosuch"));
        String both = r.call("COMMAND", "INFO", "get", "nosuch");
        assertTrue(both.startsWith("*2\r\n" + GET_INFO_HEAD) && both.endsWith("\r\n$-1\r\n"), both);
    }

    @Test
    void commandDocsSet() {
        Map<String, Object> docs = RespParser.map(r.call("COMMAND", "DOCS", "set"));
        assertEquals(List.of("set"), List.copyOf(docs.keySet()));
        Map<String, Object> set = RespParser.pairs((List<Object>) docs.get("set"));
        assertTrue(set.keySet().containsAll(List.of("summary", "since", "group", "arguments")), set.keySet().toString());
        assertFalse(((String) set.get("summary")).isEmpty());
        assertEquals("1.0.0", set.get("since"));
        assertEquals("string", set.get("group"));
        List<Object> args = (List<Object>) set.get("arguments");
        Map<String, Object> key = RespParser.pairs((List<Object>) args.get(0));
        assertEquals("key", key.get("name"));
        assertEquals("key", key.get("type"));
        Map<String, Object> value = RespParser.pairs((List<Object>) args.get(1));
        assertEquals("value", value.get("name"));
        assertEquals("string", value.get("type"));
        assertEquals("*0\r\n", r.call("COMMAND", "DOCS", "nosuch"));
    }

    @Test
    void commandGetkeys() {
        assertEquals(array("a", "b"), r.call("COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"));
        assertEquals(array("k"), r.call("COMMAND", "GETKEYS", "GET", "k"));
        assertEquals(array("a", "b", "c"), r.call("COMMAND", "GETKEYS", "del", "a", "b", "c"));
        assertEquals(array("k"), r.call("COMMAND", "GETKEYS", "object", "encoding", "k"));
        assertEquals(error("ERR Invalid command specified"), r.call("COMMAND", "GETKEYS", "nosuch", "a"));
        assertEquals(error("ERR Invalid number of arguments specified for command"),
                r.call("COMMAND", "GETKEYS", "set", "a"));
        assertEquals(error("ERR Invalid number of arguments specified for command"),
                r.call("COMMAND", "GETKEYS", "get", "a", "b"));
        assertEquals(error("ERR The command has no key arguments"), r.call("COMMAND", "GETKEYS", "ping", "x"));
        assertEquals(error("ERR wrong number of arguments for 'command|getkeys' command"), r.call("COMMAND", "GETKEYS"));
    }

    /** COMMAND GETKEYS has arity -4 in Redis: a command name alone is an arity error. */
    @Test
    void commandGetkeysArity() {
        assertAll(
                () -> assertEquals(error("ERR wrong number of arguments for 'command|getkeys' command"),
                        r.call("COMMAND", "GETKEYS", "get")),
                () -> assertEquals(error("ERR wrong number of arguments for 'command|getkeys' command"),
                        r.call("COMMAND", "GETKEYS", "ping")));
    }

    @Test
    void commandList() {
        List<Object> names = RespParser.array(r.call("COMMAND", "LIST"));
        assertTrue(names.containsAll(List.of("get", "set", "config", "command", "client", "scan", "swapdb", "config|get",
                "client|list")), names.toString());
        assertEquals(array("config|get"), r.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "config|g*"));
        assertEquals(names.size(), new java.util.HashSet<>(names).size());
        assertEquals(array("echo"), r.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "echo"));
        assertEquals("*0\r\n", r.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "xx*"));
        assertEquals(SYNTAX, r.call("COMMAND", "LIST", "FOO"));
        assertEquals(error("ERR unknown subcommand 'FOO'. Try COMMAND HELP."), r.call("COMMAND", "FOO"));
    }

    // ---- unknown commands ----

    @Test
    void unknownCommand() {
        assertEquals("-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n", r.call("foo", "a", "b"));
        assertEquals("-ERR unknown command 'foo', with args beginning with: \r\n", r.call("foo"));
        assertEquals("-ERR unknown command 'FOO', with args beginning with: 'a  b' \r\n", r.call("FOO", "a\r\nb"));
        String x200 = "x".repeat(200);
        assertEquals("-ERR unknown command 'foo', with args beginning with: '" + "x".repeat(128) + "' \r\n",
                r.call("foo", x200));
        assertEquals("-ERR unknown command '" + "x".repeat(128) + "', with args beginning with: \r\n", r.call(x200));
        assertEquals("-ERR unknown command 'foo', with args beginning with: '" + "a".repeat(100) + "' '"
                + "b".repeat(25) + "' \r\n", r.call("foo", "a".repeat(100), "b".repeat(100), "c"));
        assertEquals("-ERR unknown command '', with args beginning with: \r\n", r.call(""));
        assertEquals("-ERR unknown subcommand '" + "x".repeat(128) + "'. Try OBJECT HELP.\r\n", r.call("object", x200));
        assertTrue(r.isOpen());
    }

    /** Redis copies the argument bytes into the error as they are. */
    @Test
    void unknownCommandKeepsNonUtf8Bytes() {
        assertEquals("-ERR unknown command 'foo', with args beginning with: '\u00ff\u00fe' \r\n",
                r.call("foo".getBytes(), new byte[] {(byte) 0xff, (byte) 0xfe}));
    }

    // ---- DEBUG ----

    @Test
    void debugSetActiveExpire() throws InterruptedException {
        assertEquals(OK, r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
        r.call("SET", "k", "v", "PX", "20");
        Thread.sleep(50);
        server.context().expirer().run();
        assertEquals(integer(1), r.call("DBSIZE"));
        assertEquals(OK, r.call("DEBUG", "set-active-expire", "1"));
        server.context().expirer().run();
        assertEquals(integer(0), r.call("DBSIZE"));
        assertEquals(OK, r.call("DEBUG", "SLEEP", "0"));
        assertEquals(error("ERR no such key"), r.call("DEBUG", "OBJECT", "nokey"));
        r.call("SET", "p", "v");
        assertTrue(r.call("DEBUG", "OBJECT", "p").matches("\\+Value at:\\S+ refcount:1 encoding:embstr "
                + "serializedlength:\\d+ lru:\\d+ lru_seconds_idle:\\d+\r\n"));
        assertEquals(error("ERR wrong number of arguments for 'debug' command"), r.call("DEBUG"));
    }

    @Test
    void debugUnknownSubcommand() {
        assertAll(
                () -> assertEquals(error("ERR unknown subcommand or wrong number of arguments for 'FOO'. Try DEBUG HELP."),
                        r.call("DEBUG", "FOO")),
                () -> assertEquals(error("ERR unknown subcommand or wrong number of arguments for 'SET-ACTIVE-EXPIRE'. "
                        + "Try DEBUG HELP."), r.call("DEBUG", "SET-ACTIVE-EXPIRE")));
    }

    private static final String DEBUG_REFUSED = error("ERR DEBUG command not allowed. If the enable-debug-command option"
            + " is set to \"local\", you can run it from a local connection, otherwise you need to set this option in"
            + " the configuration file, and then restart the server.");

    /** Redis 7's default: DEBUG is refused, after the arity check and before auth. */
    @Test
    void debugIsRefusedByDefault() {
        try (var s = new io.simplekv.support.ServerFixture(engine, dir.resolve("default"), Map.of("requirepass", "pw"));
             Wire w = s.connect()) {
            assertEquals(DEBUG_REFUSED, w.call("DEBUG", "SLEEP", "0"));
            assertEquals(error("ERR wrong number of arguments for 'debug' command"), w.call("DEBUG"));
            assertEquals(OK, w.call("AUTH", "pw"));
            assertEquals(DEBUG_REFUSED, w.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
            assertTrue(w.call("INFO", "errorstats").contains("errorstat_ERR:count=3"));
        }
    }

    /** "local" allows loopback peers; an embedded test channel has no network peer, which counts as local. */
    @Test
    void debugLocalAllowsLocalClients() {
        try (var s = new io.simplekv.support.ServerFixture(engine, dir.resolve("local"), Map.of("enable-debug-command", "local"));
             Wire w = s.connect()) {
            assertEquals(OK, w.call("DEBUG", "SLEEP", "0"));
        }
    }

    /** DEBUG SLEEP stops only its own client (and what it pipelined behind), never the event loop. */
    @Test
    void debugSleepHoldsOnlyItsClient() {
        try (Wire other = server.connect()) {
            String id = r.call("CLIENT", "ID").substring(1).trim();
            assertEquals("", r.send("*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$1\r\n2\r\n*1\r\n$4\r\nPING\r\n"));
            assertEquals("+PONG\r\n", other.call("PING"));
            assertEquals(integer(0), other.call("CLIENT", "UNBLOCK", id));
            assertEquals("", r.advanceTime(1999));
            assertEquals("+OK\r\n+PONG\r\n", r.advanceTime(1));
        }
    }

    /** Redis turns the seconds into a long long of microseconds: what overflows (or isn't a number) returns at once. */
    @Test
    void debugSleepOutOfRangeReturnsAtOnce() {
        for (String t : List.of("inf", "-inf", "nan", "-1", "1e300", "abc", "0")) {
            assertEquals(OK, r.call("DEBUG", "SLEEP", t), t);
        }
    }

    @Test
    void debugSleepIsSlowLogged() {
        r.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
        r.call("SLOWLOG", "RESET");
        r.call("DEBUG", "SLEEP", "0.5");
        assertEquals(OK, r.advanceTime(500));
        assertTrue(r.call("SLOWLOG", "GET", "1").contains("$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$3\r\n0.5\r\n"));
    }

    /** Redis reads the flag with atoi, so a non-number means 0 and is not an error. */
    @Test
    void debugSetActiveExpireTakesAnyText() {
        assertEquals(OK, r.call("DEBUG", "SET-ACTIVE-EXPIRE", "abc"));
    }
}
