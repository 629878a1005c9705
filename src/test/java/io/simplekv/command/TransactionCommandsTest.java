package io.simplekv.command;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;

@ParameterizedClass
@EnumSource(EngineKind.class)
class TransactionCommandsTest extends ServerTestBase {
    static final String QUEUED = simple("QUEUED");

    @Test
    void execRunsTheQueueInOrder() {
        assertEquals(OK, r.call("MULTI"));
        assertEquals(QUEUED, r.call("SET", "k", "1"));
        assertEquals(QUEUED, r.call("INCR", "k"));
        assertEquals(QUEUED, r.call("GET", "k"));
        assertEquals("*3\r\n+OK\r\n:2\r\n$1\r\n2\r\n", r.call("EXEC"));
        assertEquals(OK, r.call("MULTI"));
        assertEquals("*0\r\n", r.call("EXEC"));
    }

    /** Commands that walk the keyspace inside EXEC see the writes queued before them (an engine that stages must flush). */
    @Test
    void walksInsideExecSeeTheTransactionsOwnWrites() {
        r.call("MULTI");
        r.call("SET", "a", "1");
        r.call("DBSIZE");
        r.call("KEYS", "*");
        r.call("RANDOMKEY");
        r.call("SET", "b", "2", "EX", "100");
        r.call("DEL", "a");
        r.call("SCAN", "0");
        r.call("SWAPDB", "0", "1");
        r.call("DBSIZE");
        r.call("SET", "c", "3");
        r.call("FLUSHDB");
        r.call("DBSIZE");
        assertEquals("*12\r\n+OK\r\n:1\r\n*1\r\n$1\r\na\r\n$1\r\na\r\n+OK\r\n:1\r\n*2\r\n$1\r\n0\r\n*1\r\n$1\r\nb\r\n"
                + "+OK\r\n:0\r\n+OK\r\n+OK\r\n:0\r\n", r.call("EXEC"));
        r.call("SELECT", "1");
        assertEquals(bulk("2"), r.call("GET", "b"));
        assertEquals(":1\r\n", r.call("DBSIZE"));
        r.call("MULTI");
        r.call("SET", "d", "4");
        r.call("INFO", "keyspace");
        String info = r.call("EXEC");
        assertEquals(true, info.contains("db1:keys=2,expires=1,avg_ttl=0"), info);
    }

    /**
     * A big sorted set whose ZINCRBY moves a score without changing its size rewrites only its pages, not its record:
     * that is still a change of the key, which a watcher's EXEC must see.
     */
    @Test
    void aChangeInsideABigSortedSetsPagesTouchesItsWatchers() {
        for (int i = 0; i < 300; i++) r.call("ZADD", "z", Integer.toString(i), "m" + i);
        r.call("WATCH", "z");
        Wire other = server.connect();
        assertEquals(bulk("12.5"), other.call("ZINCRBY", "z", "2.5", "m10"));
        assertEquals("*-1\r\n", execPing());
    }

    /** A key set with a TTL that has already passed by the time it is watched (the expirer does not run here). */
    private void staleKey(String key) throws InterruptedException {
        r.call("SET", key, "v", "PX", "1");
        Thread.sleep(3);
    }

    private String execPing() {
        r.call("MULTI");
        r.call("PING");
        return r.call("EXEC");
    }

    /**
     * Redis's watchedKey.expired: a key already stale when WATCHed is deleted by its lazy expiry without that
     * counting as a change (multi.tcl's stale-key tests), while one that goes stale after WATCH does count.
     */
    @Test
    void aKeyStaleWhenWatchedIsNoChangeWhenItGoes() throws InterruptedException {
        staleKey("x");
        r.call("WATCH", "x");
        assertEquals("*1\r\n+PONG\r\n", execPing(), "stale at WATCH, expired at EXEC");
        staleKey("x");
        r.call("WATCH", "x");
        assertEquals(":0\r\n", r.call("EXISTS", "x"));
        assertEquals("*1\r\n+PONG\r\n", execPing(), "stale at WATCH, deleted by EXISTS");
        staleKey("x");
        r.call("WATCH", "x");
        r.call("FLUSHDB");
        assertEquals("*1\r\n+PONG\r\n", execPing(), "stale at WATCH, flushed");
        r.call("SET", "x", "v", "PX", "100");
        r.call("WATCH", "x");
        Thread.sleep(150);
        assertEquals("*-1\r\n", execPing(), "live at WATCH, expired by EXEC");
    }

    @Test
    void swapdbTouchesOnlyKeysThatChangeLogically() throws InterruptedException {
        staleKey("x");
        r.call("SELECT", "1");
        r.call("WATCH", "x");
        r.call("SWAPDB", "0", "1");
        assertEquals("*1\r\n+PONG\r\n", execPing(), "a missing key replaced with a stale one");
        r.call("FLUSHALL");
        r.call("SELECT", "1");
        staleKey("x");
        r.call("SELECT", "0");
        staleKey("x");
        r.call("SELECT", "1");
        r.call("WATCH", "x");
        r.call("SWAPDB", "0", "1");
        assertEquals("*1\r\n+PONG\r\n", execPing(), "a stale key replaced with another stale key");
        r.call("SELECT", "0");
        r.call("SET", "y", "live");
        r.call("SELECT", "1");
        r.call("WATCH", "y");
        r.call("SWAPDB", "0", "1");
        assertEquals("*-1\r\n", execPing(), "a missing key replaced with a live one");
    }

    @Test
    void runtimeErrorsStayInPlaceWithoutRollback() {
        r.call("SET", "s", "abc");
        r.call("MULTI");
        r.call("SET", "a", "1");
        r.call("INCR", "s");
        r.call("SET", "b", "2");
        assertEquals("*3\r\n+OK\r\n" + error("ERR value is not an integer or out of range") + "+OK\r\n", r.call("EXEC"));
        assertEquals(bulk("2"), r.call("GET", "b"));
    }

    @Test
    void queueTimeErrorsAbortExec() {
        r.call("MULTI");
        assertEquals(error("ERR unknown command 'NOSUCH', with args beginning with: "), r.call("NOSUCH"));
        assertEquals(error("ERR wrong number of arguments for 'get' command"), r.call("GET"));
        assertEquals(QUEUED, r.call("SET", "k", "v"));
        assertEquals(error("EXECABORT Transaction discarded because of previous errors."), r.call("EXEC"));
        assertEquals(NIL, r.call("GET", "k"));
        assertEquals(error("ERR EXEC without MULTI"), r.call("EXEC"));
    }

    @Test
    void controlCommandErrors() {
        assertEquals(error("ERR DISCARD without MULTI"), r.call("DISCARD"));
        r.call("MULTI");
        assertEquals(error("ERR MULTI calls can not be nested"), r.call("MULTI"));
        assertEquals(error("ERR WATCH inside MULTI is not allowed"), r.call("WATCH", "k"));
        assertEquals(QUEUED, r.call("SET", "k", "v"));
        assertEquals(OK, r.call("DISCARD"));
        assertEquals(NIL, r.call("GET", "k"));
        r.call("MULTI");
        assertEquals(simple("RESET"), r.call("RESET"));
        assertEquals(error("ERR EXEC without MULTI"), r.call("EXEC"));
    }

    @Test
    void watchSeesOtherClientsWrites() {
        r.call("SET", "k", "1");
        assertEquals(OK, r.call("WATCH", "k"));
        try (Wire other = server.connect()) {
            other.call("SET", "k", "2");
        }
        r.call("MULTI");
        r.call("SET", "k", "3");
        assertEquals("*-1\r\n", r.call("EXEC"));
        assertEquals(bulk("2"), r.call("GET", "k"));
        // After EXEC the keys are no longer watched.
        r.call("MULTI");
        r.call("SET", "k", "4");
        assertEquals("*1\r\n+OK\r\n", r.call("EXEC"));
    }

    @Test
    void unwatchedOrUntouchedKeysLetExecRun() {
        r.call("WATCH", "k");
        try (Wire other = server.connect()) {
            other.call("SET", "other", "x");
        }
        r.call("MULTI");
        r.call("SET", "k", "mine");
        assertEquals("*1\r\n+OK\r\n", r.call("EXEC"));
        r.call("WATCH", "k");
        r.call("UNWATCH");
        try (Wire other = server.connect()) {
            other.call("SET", "k", "theirs");
        }
        r.call("MULTI");
        r.call("GET", "k");
        assertEquals("*1\r\n$6\r\ntheirs\r\n", r.call("EXEC"));
    }

    @Test
    void flushTouchesOnlyExistingWatchedKeysAndExpiryCounts() {
        r.call("WATCH", "missing");
        r.call("FLUSHALL");
        r.call("MULTI");
        r.call("PING");
        assertEquals("*1\r\n+PONG\r\n", r.call("EXEC"));
        r.call("SET", "x", "1");
        r.call("WATCH", "x");
        r.call("FLUSHDB");
        r.call("MULTI");
        r.call("PING");
        assertEquals("*-1\r\n", r.call("EXEC"));
        r.call("SET", "e", "1", "PX", "100");
        r.call("WATCH", "e"); // live when watched (a key already stale at WATCH is no change when it goes)
        sleep(150);
        r.call("MULTI");
        r.call("PING");
        assertEquals("*-1\r\n", r.call("EXEC"), "a watched key that expired counts as changed");
    }

    /**
     * For each write command (WATCH hears of its changes from the keyspace's own writes): a setup, an invocation
     * that changes the watched key "w", and, where Redis has one, an invocation that changes nothing and so must
     * leave EXEC alone. Every write command needs a row, so a new one cannot skip the check.
     */
    private static final String[][] CHANGES = {
        // command, setup (";"-separated, args split on spaces), changing call (or "" for a write Redis never
        // signals), no-op call or "" (after "|" when it needs more setup first)
        {"set", "", "SET w v", ""},
        {"setnx", "", "SETNX w v", ""},
        {"setex", "", "SETEX w 100 v", ""},
        {"psetex", "", "PSETEX w 100000 v", ""},
        {"getset", "", "GETSET w v", ""},
        {"getdel", "SET w v", "GETDEL w", "GETDEL other"},
        {"getex", "SET w v", "GETEX w EX 100", "GETEX w"},
        {"mset", "", "MSET a 1 w 2", ""},
        {"msetnx", "", "MSETNX a 1 w 2", ""},
        {"incr", "", "INCR w", ""},
        {"decr", "", "DECR w", ""},
        {"incrby", "", "INCRBY w 2", ""},
        {"decrby", "", "DECRBY w 2", ""},
        {"incrbyfloat", "", "INCRBYFLOAT w 1.5", ""},
        {"append", "SET w v", "APPEND w x", ""},
        {"setrange", "SET w v", "SETRANGE w 3 x", "SETRANGE w 0 \"\""},
        {"del", "SET w v", "DEL missing w", "DEL missing"},
        {"restore", "", "RESTORE w 0 hex:0001760a009108ceb219388ace", ""},
        {"unlink", "SET w v", "UNLINK w", "UNLINK missing"},
        {"expire", "SET w v", "EXPIRE w 100", "EXPIRE w 100 XX"},
        {"pexpire", "SET w v", "PEXPIRE w 100000", "PEXPIRE w 100000 XX"},
        {"expireat", "SET w v", "EXPIREAT w 99999999999", "EXPIREAT w 99999999999 XX"},
        {"pexpireat", "SET w v", "PEXPIREAT w 99999999999999", "PEXPIREAT w 99999999999999 XX"},
        {"persist", "SET w v EX 100", "PERSIST w", "PERSIST missing"},
        {"rename", "SET src v; SET w x", "RENAME src w", "RENAMENX src w"},
        {"renamenx", "SET src v", "RENAMENX src w", ""},
        {"copy", "SET src v; SET w x", "COPY src w REPLACE", "COPY w other"},
        {"move", "SET w v", "MOVE w 1", ""},
        // MIGRATE that moves needs a target server (MigrateIT); one whose target refuses leaves the key alone.
        {"migrate", "SET w v", "", "MIGRATE 127.0.0.1 1 w 0 100"},
        {"sort", "RPUSH src 2 1", "SORT src STORE w", "SORT nothing STORE w"},
        {"hset", "", "HSET w f v", ""},
        {"hmset", "", "HMSET w f v", ""},
        {"hsetnx", "HSET w f v", "HSETNX w g v", "HSETNX w f x"},
        {"hdel", "HSET w f v g v", "HDEL w f", "HDEL w nope"},
        {"hincrby", "", "HINCRBY w f 1", ""},
        {"hincrbyfloat", "", "HINCRBYFLOAT w f 1.5", ""},
        {"sadd", "SADD w a", "SADD w b", "SADD w a"},
        {"srem", "SADD w a b", "SREM w a", "SREM w nope"},
        {"spop", "SADD w a b", "SPOP w", "SPOP w 0"},
        {"smove", "SADD src a b; SADD w b", "SMOVE src w a", "SMOVE src w b"},
        {"sinterstore", "SADD s1 a", "SINTERSTORE w s1", "SINTERSTORE w nothing"},
        {"sunionstore", "SADD s1 a", "SUNIONSTORE w s1", "SUNIONSTORE w nothing"},
        {"sdiffstore", "SADD s1 a", "SDIFFSTORE w s1", "SDIFFSTORE w nothing"},
        {"zadd", "ZADD w 1 a", "ZADD w 2 a", "ZADD w 1 a"},
        {"zincrby", "", "ZINCRBY w 1 a", ""},
        {"zrem", "ZADD w 1 a 2 b", "ZREM w a", "ZREM w nope"},
        {"zpopmin", "ZADD w 1 a 2 b", "ZPOPMIN w", "ZPOPMIN w 0"},
        {"zpopmax", "ZADD w 1 a 2 b", "ZPOPMAX w", "ZPOPMAX w 0"},
        {"zmpop", "ZADD w 1 a 2 b", "ZMPOP 2 missing w MIN", "ZMPOP 1 missing MIN"},
        {"zremrangebyscore", "ZADD w 1 a 2 b", "ZREMRANGEBYSCORE w 1 1", "ZREMRANGEBYSCORE w 5 9"},
        {"zremrangebyrank", "ZADD w 1 a 2 b", "ZREMRANGEBYRANK w 0 0", "ZREMRANGEBYRANK w 5 9"},
        {"zremrangebylex", "ZADD w 0 a 0 b", "ZREMRANGEBYLEX w [a [a", "ZREMRANGEBYLEX w [x [z"},
        {"zrangestore", "ZADD z 1 a", "ZRANGESTORE w z 0 -1", "ZRANGESTORE w nothing 0 -1"},
        {"zunionstore", "ZADD z 1 a", "ZUNIONSTORE w 1 z", "ZUNIONSTORE w 1 nothing"},
        {"zinterstore", "ZADD z 1 a", "ZINTERSTORE w 1 z", "ZINTERSTORE w 1 nothing"},
        {"zdiffstore", "ZADD z 1 a", "ZDIFFSTORE w 1 z", "ZDIFFSTORE w 1 nothing"},
        {"lpush", "", "LPUSH w a", ""},
        {"rpush", "", "RPUSH w a", ""},
        {"lpushx", "RPUSH w a", "LPUSHX w b", ""},
        {"rpushx", "RPUSH w a", "RPUSHX w b", ""},
        {"lpop", "RPUSH w a b", "LPOP w", ""},
        {"rpop", "RPUSH w a b", "RPOP w", ""},
        {"lset", "RPUSH w a b", "LSET w 0 x", ""},
        {"linsert", "RPUSH w a b", "LINSERT w BEFORE b x", "LINSERT w BEFORE nope x"},
        {"lrem", "RPUSH w a b", "LREM w 0 a", "LREM w 0 nope"},
        {"ltrim", "RPUSH w a b", "LTRIM w 0 0", ""},
        {"lmove", "RPUSH src a", "LMOVE src w LEFT RIGHT", ""},
        {"rpoplpush", "RPUSH src a", "RPOPLPUSH src w", ""},
        {"lmpop", "RPUSH w a b", "LMPOP 2 missing w LEFT", "LMPOP 1 missing LEFT"},
        // A blocking command that waits (here until its timeout) has changed nothing.
        {"blpop", "RPUSH w a b", "BLPOP w 0", "DEL w | BLPOP w 0.01"},
        {"brpop", "RPUSH w a b", "BRPOP w 0", "DEL w | BRPOP w 0.01"},
        {"blmove", "RPUSH src a", "BLMOVE src w LEFT RIGHT 0", "DEL src | BLMOVE src w LEFT RIGHT 0.01"},
        {"brpoplpush", "RPUSH src a", "BRPOPLPUSH src w 0", "DEL src | BRPOPLPUSH src w 0.01"},
        {"blmpop", "RPUSH w a b", "BLMPOP 0 1 w LEFT", "DEL w | BLMPOP 0.01 1 w LEFT"},
        {"bzpopmin", "ZADD w 1 a 2 b", "BZPOPMIN w 0", "DEL w | BZPOPMIN w 0.01"},
        {"bzpopmax", "ZADD w 1 a 2 b", "BZPOPMAX w 0", "DEL w | BZPOPMAX w 0.01"},
        {"bzmpop", "ZADD w 1 a 2 b", "BZMPOP 0 1 w MIN", "DEL w | BZMPOP 0.01 1 w MIN"},
        // A bit set to what it is already, in a string no longer for it, is no change (Redis's bitops tests).
        {"setbit", "SETBIT w 7 1", "SETBIT w 7 0", "SETBIT w 7 1"},
        {"bitfield", "SETBIT w 7 1", "BITFIELD w SET u8 0 0", "BITFIELD w SET u8 0 1"},
        {"bitop", "SET s1 a; SET w x", "BITOP NOT w s1", "BITOP AND w nothing | BITOP AND w nothing"},
        {"geoadd", "GEOADD w 13.36 38.11 a", "GEOADD w 15.08 37.50 b", "GEOADD w NX 13.36 38.11 a"},
        // The database-wide ones touch what exists: an empty database has nothing to touch.
        {"flushdb", "SET w v", "FLUSHDB", "DEL w | FLUSHDB"},
        {"flushall", "SET w v", "FLUSHALL", "DEL w | FLUSHALL"},
        {"swapdb", "SET w v", "SWAPDB 0 1", "DEL w | SWAPDB 0 1"},
        // Checked against redis-server 7.0.15: PFMERGE always signals its target, PFDEBUG never does.
        {"pfadd", "", "PFADD w a", "PFADD w a | PFADD w a"},
        {"pfmerge", "PFADD src a", "PFMERGE w src", ""},
        {"pfdebug", "PFADD w a", "", "PFDEBUG TODENSE w"},
        {"georadius", "GEOADD src 13.36 38.11 a", "GEORADIUS src 15 37 200 km STORE w", "GEORADIUS src 15 37 1 km STORE w"},
        {"georadiusbymember", "GEOADD src 13.36 38.11 a", "GEORADIUSBYMEMBER src a 10 km STORE w",
                "GEORADIUSBYMEMBER src a 10 km STORE w2"},
        {"geosearchstore", "GEOADD src 13.36 38.11 a", "GEOSEARCHSTORE w src FROMLONLAT 15 37 BYRADIUS 200 km",
                "GEOSEARCHSTORE w src FROMLONLAT 15 37 BYRADIUS 1 km"},
        {"xadd", "", "XADD w 1-0 f v", "XADD w NOMKSTREAM 1-0 f v"},
        {"xdel", "XADD w 1-0 f v", "XDEL w 1-0", "XDEL w 2-0"},
        {"xtrim", "XADD w 1-0 f v", "XTRIM w MAXLEN 0", "XTRIM w MAXLEN 5"},
        // A stream's ID and its consumer groups' progress are writes Redis 7.0.15 signals to no WATCH (checked
        // against redis-server): EXEC runs after them.
        {"xsetid", "XADD w 1-0 f v", "", "XSETID w 5-0"},
        {"xreadgroup", "XADD w 1-0 f v; XGROUP CREATE w g 0", "", "XREADGROUP GROUP g c STREAMS w >"},
        {"xack", "XADD w 1-0 f v; XGROUP CREATE w g 0; XREADGROUP GROUP g c STREAMS w >", "", "XACK w g 1-0"},
        {"xclaim", "XADD w 1-0 f v; XGROUP CREATE w g 0; XREADGROUP GROUP g c STREAMS w >", "", "XCLAIM w g c2 0 1-0"},
        {"xautoclaim", "XADD w 1-0 f v; XGROUP CREATE w g 0; XREADGROUP GROUP g c STREAMS w >", "", "XAUTOCLAIM w g c2 0 -"},
    };

    @Test
    void aWriteTouchesWatchOnlyWhenItChangesTheKeyAsInRedis() {
        java.util.Set<String> rows = new java.util.TreeSet<>();
        for (String[] row : CHANGES) {
            rows.add(row[0]);
            if (!row[2].isEmpty()) assertEquals("*-1\r\n", execAfter(row[1], row[2]), row[2] + " changes w: EXEC must fail");
            if (!row[3].isEmpty()) {
                String[] noOp = row[3].split(" \\| ");
                String setup = noOp.length == 2 ? row[1] + ";" + noOp[0] : row[1];
                String call = noOp[noOp.length - 1];
                assertEquals("*1\r\n+PONG\r\n", execAfter(setup, call), call + " changes nothing: EXEC must run");
            }
        }
        java.util.Set<String> writes = new java.util.TreeSet<>();
        for (CommandSpec spec : server.context().commands().all()) {
            if (spec.has(CommandFlag.WRITE)) writes.add(spec.name);
        }
        assertEquals(writes, rows, "every write command has a row in CHANGES");
    }

    @Test
    void moveAndCopyIntoAnotherDatabaseReachItsWatchers() {
        for (String[] write : new String[][] {{"MOVE", "k", "1"}, {"COPY", "k", "k", "DB", "1"}}) {
            r.call("FLUSHALL");
            r.call("SELECT", "1");
            r.call("WATCH", "k");
            try (Wire other = server.connect()) {
                other.call("SET", "k", "v");
                assertEquals(":1\r\n", other.call(write));
            }
            r.call("MULTI");
            r.call("PING");
            assertEquals("*-1\r\n", r.call("EXEC"), String.join(" ", write) + " changed k in db 1");
            r.call("SELECT", "0");
        }
    }

    /** Runs setup, WATCHes w, runs call from another client, and returns what a MULTI PING EXEC then replies. */
    private String execAfter(String setup, String call) {
        r.call("FLUSHALL");
        for (String step : setup.split(";")) if (!step.isBlank()) r.call(step.trim().split(" "));
        r.call("WATCH", "w");
        try (Wire other = server.connect()) {
            String[] words = args(call);
            byte[][] raw = new byte[words.length][];
            for (int i = 0; i < words.length; i++) raw[i] = words[i].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            String reply = other.call(raw);
            // MIGRATE's refused target may answer at once or later: either way it is the outcome that row wants.
            if (reply.startsWith("-") && !reply.startsWith("-IOERR")) throw new AssertionError(call + " failed: " + reply);
        }
        r.call("MULTI");
        r.call("PING");
        return r.call("EXEC");
    }

    private static String[] args(String call) {
        String[] a = call.split(" ");
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals("\"\"")) a[i] = "";
            // Binary arguments (a DUMP payload) as hex, one char per byte (execAfter sends them as ISO-8859-1).
            if (a[i].startsWith("hex:")) {
                a[i] = new String(java.util.HexFormat.of().parseHex(a[i].substring(4)), java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        }
        return a;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
