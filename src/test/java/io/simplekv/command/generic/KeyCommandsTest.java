package io.simplekv.command.generic;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import io.simplekv.support.RespParser;
import io.simplekv.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.simplekv.support.Resp.NIL;
import static io.simplekv.support.Resp.OK;
import static io.simplekv.support.Resp.array;
import static io.simplekv.support.Resp.bulk;
import static io.simplekv.support.Resp.error;
import static io.simplekv.support.Resp.integer;
import static io.simplekv.support.Resp.simple;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key-space commands; every expected reply was checked byte for byte against redis-server 7.0.15. */
@ParameterizedClass
@EnumSource(EngineKind.class)
class KeyCommandsTest extends ServerTestBase {
    @Override
    protected Map<String, String> config() {
        return Map.of("enable-debug-command", "yes");
    }


    static final String NX_CONFLICT = error("ERR NX and XX, GT or LT options at the same time are not compatible");
    static final String GT_LT_CONFLICT = error("ERR GT and LT options at the same time are not compatible");
    static final String DB_RANGE = error("ERR DB index is out of range");
    static final String SAME_OBJECT = error("ERR source and destination objects are the same");

    /** The elements of an array reply of bulk strings, sorted, for replies whose order is the hash order. */
    private static Set<String> sortedSet(String reply) {
        Set<String> s = new TreeSet<>();
        for (Object o : RespParser.array(reply)) s.add((String) o);
        return s;
    }

    // ---- DEL / UNLINK / EXISTS / TOUCH / TYPE ----

    @Test
    void delAndUnlinkCountRemovedKeys() {
        assertEquals(OK, r.call("MSET", "a", "1", "b", "2", "c", "3"));
        assertEquals(integer(2), r.call("DEL", "a", "b", "x"));
        assertEquals(integer(1), r.call("UNLINK", "c", "x"));
        assertEquals(integer(0), r.call("DEL", "a"));
        assertEquals(integer(0), r.call("UNLINK", "a", "a"));
        r.call("SET", "d", "1");
        assertEquals(integer(1), r.call("DEL", "d", "d"));
        assertEquals(integer(0), r.call("DBSIZE"));
        assertEquals(error("ERR wrong number of arguments for 'del' command"), r.call("DEL"));
        assertEquals(error("ERR wrong number of arguments for 'unlink' command"), r.call("UNLINK"));
    }

    @Test
    void existsAndTouchCountDuplicates() {
        r.call("SET", "k", "v");
        assertEquals(integer(2), r.call("EXISTS", "k", "k", "x"));
        assertEquals(integer(0), r.call("EXISTS", "x"));
        assertEquals(integer(3), r.call("EXISTS", "k", "k", "k"));
        assertEquals(integer(2), r.call("TOUCH", "k", "k", "x"));
        assertEquals(integer(0), r.call("TOUCH", "x"));
        assertEquals(error("ERR wrong number of arguments for 'exists' command"), r.call("EXISTS"));
        assertEquals(error("ERR wrong number of arguments for 'touch' command"), r.call("TOUCH"));
    }

    @Test
    void typeOfKeys() {
        r.call("SET", "k", "v");
        putHash(0, "h");
        assertEquals(simple("string"), r.call("TYPE", "k"));
        assertEquals(simple("none"), r.call("TYPE", "nope"));
        assertEquals(simple("hash"), r.call("TYPE", "h"));
        assertEquals(error("ERR wrong number of arguments for 'type' command"), r.call("TYPE", "k", "x"));
    }

    // ---- EXPIRE family ----

    @Test
    void expireOptionErrors() {
        r.call("SET", "k", "v");
        for (String cmd : new String[] {"EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"}) {
            assertEquals(NX_CONFLICT, r.call(cmd, "k", "100", "NX", "XX"), cmd);
            assertEquals(NX_CONFLICT, r.call(cmd, "k", "100", "nx", "gt"), cmd);
            assertEquals(NX_CONFLICT, r.call(cmd, "k", "100", "LT", "NX"), cmd);
            assertEquals(GT_LT_CONFLICT, r.call(cmd, "k", "100", "GT", "LT"), cmd);
            assertEquals(error("ERR Unsupported option FOO"), r.call(cmd, "k", "100", "FOO"), cmd);
            assertEquals(error("ERR Unsupported option foo"), r.call(cmd, "k", "100", "XX", "foo"), cmd);
        }
        // Options are checked before the time argument, and both before the key is looked up.
        assertEquals(error("ERR Unsupported option FOO"), r.call("EXPIRE", "k", "abc", "FOO"));
        assertEquals(NX_CONFLICT, r.call("EXPIRE", "missing", "10", "NX", "XX"));
        assertEquals(NOT_INT, r.call("EXPIRE", "missing", "abc"));
        assertEquals(NOT_INT, r.call("PEXPIRE", "k", "1.5"));
        assertEquals(error("ERR wrong number of arguments for 'expire' command"), r.call("EXPIRE", "k"));
        assertEquals(integer(-1), r.call("TTL", "k"));
    }

    @Test
    void expireConditions() {
        r.call("SET", "k", "v");
        assertEquals(integer(0), r.call("EXPIRE", "k", "100", "XX"));
        assertEquals(integer(-1), r.call("TTL", "k"));
        assertEquals(integer(1), r.call("EXPIRE", "k", "100", "NX"));
        assertEquals(integer(0), r.call("EXPIRE", "k", "200", "NX"));
        assertEquals(integer(100), r.call("TTL", "k"));
        assertEquals(integer(0), r.call("EXPIRE", "k", "50", "GT"));
        assertEquals(integer(1), r.call("EXPIRE", "k", "200", "GT"));
        assertEquals(integer(200), r.call("TTL", "k"));
        assertEquals(integer(0), r.call("EXPIRE", "k", "300", "LT"));
        assertEquals(integer(1), r.call("EXPIRE", "k", "100", "LT"));
        assertEquals(integer(100), r.call("TTL", "k"));
        assertEquals(integer(1), r.call("EXPIRE", "k", "150", "XX"));
        assertEquals(integer(150), r.call("TTL", "k"));
        assertEquals(integer(1), r.call("EXPIRE", "k", "160", "XX", "GT", "XX"));
        // A key without a TTL counts as an infinite TTL: GT never applies, LT always does.
        assertEquals(integer(1), r.call("PERSIST", "k"));
        assertEquals(integer(0), r.call("EXPIRE", "k", "100", "GT"));
        assertEquals(integer(-1), r.call("TTL", "k"));
        assertEquals(integer(1), r.call("EXPIRE", "k", "100", "LT"));
        assertEquals(integer(100), r.call("TTL", "k"));
        assertEquals(integer(0), r.call("PEXPIRE", "k", "100000", "LT"));
        long at = System.currentTimeMillis() / 1000 + 5000;
        assertEquals(integer(1), r.call("EXPIREAT", "k", Long.toString(at), "GT"));
        assertEquals(integer(at), r.call("EXPIRETIME", "k"));
        assertEquals(integer(0), r.call("PEXPIREAT", "k", Long.toString(at * 1000 + 1), "LT"));
        assertEquals(integer(1), r.call("PEXPIREAT", "k", Long.toString(at * 1000 - 1), "LT"));
        assertEquals(integer(at * 1000 - 1), r.call("PEXPIRETIME", "k"));
    }

    @Test
    void expireOnMissingKeyReturnsZero() {
        assertEquals(integer(0), r.call("EXPIRE", "missing", "100"));
        assertEquals(integer(0), r.call("PEXPIRE", "missing", "100"));
        assertEquals(integer(0), r.call("EXPIREAT", "missing", "1"));
        assertEquals(integer(0), r.call("PEXPIREAT", "missing", "1"));
        assertEquals(integer(0), r.call("EXPIRE", "missing", "-1"));
        assertEquals(integer(0), r.call("EXISTS", "missing"));
    }

    @Test
    void negativeOrPastExpireDeletesTheKey() {
        r.call("SET", "a", "v");
        assertEquals(integer(1), r.call("EXPIRE", "a", "-1"));
        assertEquals(integer(0), r.call("EXISTS", "a"));
        r.call("SET", "b", "v");
        assertEquals(integer(1), r.call("PEXPIRE", "b", "0"));
        assertEquals(NIL, r.call("GET", "b"));
        r.call("SET", "c", "v");
        assertEquals(integer(1), r.call("EXPIREAT", "c", "1"));
        assertEquals(integer(-2), r.call("TTL", "c"));
        r.call("SET", "d", "v");
        assertEquals(integer(1), r.call("PEXPIREAT", "d", "1"));
        assertEquals(integer(0), r.call("DBSIZE"));
        // A condition that fails leaves the key alone even for a past time.
        r.call("SET", "e", "v");
        assertEquals(integer(0), r.call("EXPIRE", "e", "-1", "XX"));
        assertEquals(bulk("v"), r.call("GET", "e"));
    }

    @Test
    void expireTimeOutOfRange() {
        r.call("SET", "k", "v");
        String max = Long.toString(Long.MAX_VALUE), min = Long.toString(Long.MIN_VALUE);
        assertEquals(error("ERR invalid expire time in 'expire' command"), r.call("EXPIRE", "k", max));
        assertEquals(error("ERR invalid expire time in 'expire' command"), r.call("EXPIRE", "k", min));
        assertEquals(error("ERR invalid expire time in 'expire' command"), r.call("EXPIRE", "missing", max));
        assertEquals(error("ERR invalid expire time in 'pexpire' command"), r.call("PEXPIRE", "k", max));
        assertEquals(error("ERR invalid expire time in 'expireat' command"), r.call("EXPIREAT", "k", max));
        assertEquals(integer(-1), r.call("TTL", "k"));
        assertEquals(integer(1), r.call("PEXPIREAT", "k", max));
        assertEquals(integer(Long.MAX_VALUE), r.call("PEXPIRETIME", "k"));
    }

    @Test
    void ttlAndPttl() {
        assertEquals(integer(-2), r.call("TTL", "missing"));
        assertEquals(integer(-2), r.call("PTTL", "missing"));
        r.call("SET", "k", "v");
        assertEquals(integer(-1), r.call("TTL", "k"));
        assertEquals(integer(-1), r.call("PTTL", "k"));
        r.call("EXPIRE", "k", "100");
        assertEquals(integer(100), r.call("TTL", "k"));
        long pttl = (Long) RespParser.parse(r.call("PTTL", "k"));
        assertTrue(pttl > 99_000 && pttl <= 100_000, "PTTL " + pttl);
        // TTL rounds the remaining milliseconds to the nearest second.
        r.call("PEXPIRE", "k", "100400");
        assertEquals(integer(100), r.call("TTL", "k"));
        r.call("PEXPIRE", "k", "100600");
        assertEquals(integer(101), r.call("TTL", "k"));
        assertEquals(error("ERR wrong number of arguments for 'ttl' command"), r.call("TTL"));
        assertEquals(error("ERR wrong number of arguments for 'pttl' command"), r.call("PTTL", "k", "k"));
    }

    @Test
    void expireTimeAndPexpireTime() {
        assertEquals(integer(-2), r.call("EXPIRETIME", "missing"));
        assertEquals(integer(-2), r.call("PEXPIRETIME", "missing"));
        r.call("SET", "k", "v");
        assertEquals(integer(-1), r.call("EXPIRETIME", "k"));
        assertEquals(integer(-1), r.call("PEXPIRETIME", "k"));
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertEquals(integer(1), r.call("EXPIREAT", "k", Long.toString(at)));
        assertEquals(integer(at), r.call("EXPIRETIME", "k"));
        assertEquals(integer(at * 1000), r.call("PEXPIRETIME", "k"));
        long atMs = System.currentTimeMillis() + 2_000_789;
        assertEquals(integer(1), r.call("PEXPIREAT", "k", Long.toString(atMs)));
        assertEquals(integer(atMs), r.call("PEXPIRETIME", "k"));
        assertEquals(integer(atMs / 1000), r.call("EXPIRETIME", "k"));
    }

    @Test
    void persist() {
        assertEquals(integer(0), r.call("PERSIST", "missing"));
        r.call("SET", "k", "v");
        assertEquals(integer(0), r.call("PERSIST", "k"));
        r.call("EXPIRE", "k", "100");
        assertEquals(integer(1), r.call("PERSIST", "k"));
        assertEquals(integer(-1), r.call("TTL", "k"));
        assertEquals(integer(0), r.call("PERSIST", "k"));
        assertEquals(bulk("v"), r.call("GET", "k"));
    }

    @Test
    void lazyExpiryOnAccess() throws InterruptedException {
        assertEquals(OK, r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
        assertEquals(OK, r.call("SET", "k", "v", "PX", "50"));
        assertEquals(OK, r.call("SET", "k2", "v", "PX", "50"));
        assertEquals(OK, r.call("SET", "p", "v"));
        Thread.sleep(100);
        // Nothing deleted the expired keys yet, so they are still counted...
        assertEquals(integer(3), r.call("DBSIZE"));
        assertTrue(r.call("INFO", "keyspace").contains("db0:keys=3,expires=2,"));
        // ...until something touches them.
        assertEquals(NIL, r.call("GET", "k"));
        assertEquals(integer(2), r.call("DBSIZE"));
        assertEquals(integer(-2), r.call("TTL", "k2"));
        assertEquals(integer(1), r.call("DBSIZE"));
        assertTrue(r.call("INFO", "keyspace").contains("db0:keys=1,expires=0,"));
        assertEquals(array("p"), r.call("KEYS", "*"));
        assertTrue(r.call("INFO", "stats").contains("\r\nexpired_keys:2\r\n"));
    }

    /** Redis's test "RANDOMKEY: Lazy-expire should not be wrapped in MULTI/EXEC": it picks again after a delete. */
    @Test
    void randomkeyDeletesTheExpiredKeysItMeetsAndPicksAgain() throws InterruptedException {
        r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        for (int i = 0; i < 50; i++) r.call("SET", "gone" + i, "v", "PX", "20");
        r.call("SET", "live", "v");
        Thread.sleep(50);
        // A pick may land on "live" first (1 in 51) and meet no expired key: a few picks meet one for certain.
        boolean expiredSome = false;
        for (int i = 0; i < 20 && !expiredSome; i++) {
            assertEquals(bulk("live"), r.call("RANDOMKEY"));
            expiredSome = r.call("INFO", "stats").matches("(?s).*\r\nexpired_keys:[1-9][0-9]*\r\n.*");
        }
        assertTrue(expiredSome, "RANDOMKEY deleted none of the 50 expired keys it could meet");
    }

    @Test
    void expiredKeysAreNotListed() throws InterruptedException {
        r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        r.call("SET", "gone1", "v", "PX", "30");
        r.call("SET", "gone2", "v", "PX", "30");
        r.call("SET", "live", "v");
        Thread.sleep(60);
        assertEquals(array("live"), r.call("KEYS", "*"));
        assertEquals("*2\r\n$1\r\n0\r\n" + array("live"), r.call("SCAN", "0", "COUNT", "1000"));
        assertEquals(integer(0), r.call("EXISTS", "gone1", "gone2"));
        assertEquals(bulk("live"), r.call("RANDOMKEY"));
        assertEquals(integer(1), r.call("DBSIZE"));
    }

    // ---- KEYS / SCAN / RANDOMKEY / DBSIZE ----

    @Test
    void keysWithGlobPatterns() {
        assertEquals(OK, r.call("MSET", "hello", "1", "hallo", "2", "hxllo", "3", "hllo", "4", "heeeello", "5",
                "h[a]llo", "6", "h*llo", "7"));
        assertEquals(Set.of("hello", "hallo", "hxllo", "h*llo"), sortedSet(r.call("KEYS", "h?llo")));
        assertEquals(Set.of("hello", "hallo", "hxllo", "hllo", "heeeello", "h[a]llo", "h*llo"),
                sortedSet(r.call("KEYS", "h*llo")));
        assertEquals(Set.of("hello", "hallo"), sortedSet(r.call("KEYS", "h[ae]llo")));
        assertEquals(Set.of("hallo", "hxllo", "h*llo"), sortedSet(r.call("KEYS", "h[^e]llo")));
        assertEquals(array("hallo"), r.call("KEYS", "h[a-b]llo"));
        assertEquals(array("h[a]llo"), r.call("KEYS", "h\\[a\\]llo"));
        assertEquals(array("h*llo"), r.call("KEYS", "h\\*llo"));
        assertEquals("*0\r\n", r.call("KEYS", "nomatch*"));
        assertEquals(7, sortedSet(r.call("KEYS", "*")).size());
        assertEquals(error("ERR wrong number of arguments for 'keys' command"), r.call("KEYS"));
    }

    @Test
    void keysOnEmptyDatabase() {
        assertEquals("*0\r\n", r.call("KEYS", "*"));
    }

    private Set<String> scanAll(String... options) {
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            String[] cmd = new String[2 + options.length];
            cmd[0] = "SCAN";
            cmd[1] = cursor;
            System.arraycopy(options, 0, cmd, 2, options.length);
            List<Object> reply = RespParser.array(r.call(cmd));
            assertEquals(2, reply.size());
            cursor = (String) reply.get(0);
            for (Object k : (List<?>) reply.get(1)) seen.add((String) k);
            assertTrue(++calls < 100_000, "SCAN does not terminate");
        } while (!cursor.equals("0"));
        return seen;
    }

    @Test
    void scanFullIterationReturnsEveryKey() {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            all.add("key:" + i);
            r.call("SET", "key:" + i, "v");
        }
        assertEquals(all, scanAll());
        assertEquals(all, scanAll("COUNT", "100"));
        assertEquals(all, scanAll("COUNT", "1"));
        // Walk by hand once to check that a default-COUNT call does not return everything at once.
        List<Object> first = RespParser.array(r.call("SCAN", "0"));
        assertTrue(!first.get(0).equals("0"), "2000 keys in one default SCAN call");
        int n = ((List<?>) first.get(1)).size();
        assertTrue(n >= 1 && n < 2000, "first SCAN call returned " + n + " keys");
    }

    /**
     * Keys present for the whole walk are returned even while the tables grow and shrink between calls: 100 stable
     * keys, and 2000 others added by one MSET and removed by one DEL on alternate calls.
     */
    @Test
    void scanSeesKeysPresentThroughoutWhileOthersComeAndGo() {
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            stable.add("s" + i);
            r.call("SET", "s" + i, "v");
        }
        String[] mset = new String[1 + 2 * 2000], del = new String[1 + 2000];
        mset[0] = "MSET";
        del[0] = "DEL";
        for (int i = 0; i < 2000; i++) {
            mset[1 + 2 * i] = "t" + i;
            mset[2 + 2 * i] = "v";
            del[1 + i] = "t" + i;
        }
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int round = 0;
        do {
            List<Object> reply = RespParser.array(r.call("SCAN", cursor, "COUNT", "3"));
            cursor = (String) reply.get(0);
            for (Object k : (List<?>) reply.get(1)) seen.add((String) k);
            assertEquals(round % 2 == 0 ? OK : integer(2000), r.call(round % 2 == 0 ? mset : del));
            round++;
        } while (!cursor.equals("0"));
        assertTrue(seen.containsAll(stable), "missing " + difference(stable, seen) + " after " + round + " calls");
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    @Test
    void scanMatchAndType() {
        for (int i = 0; i < 50; i++) r.call("SET", "user:" + i, "v");
        for (int i = 0; i < 50; i++) r.call("SET", "item:" + i, "v");
        putHash(0, "user:hash");
        Set<String> users = scanAll("MATCH", "user:*", "COUNT", "7");
        assertEquals(51, users.size());
        assertTrue(users.contains("user:hash"));
        assertEquals(Set.of("user:1", "user:10", "user:11", "user:12", "user:13", "user:14", "user:15", "user:16",
                "user:17", "user:18", "user:19"), scanAll("MATCH", "user:1*"));
        assertEquals(Set.of("user:hash"), scanAll("TYPE", "hash"));
        assertEquals(Set.of("user:hash"), scanAll("TYPE", "HASH", "MATCH", "user:*"));
        assertEquals(100, scanAll("TYPE", "string").size());
        assertEquals(50, scanAll("TYPE", "string", "MATCH", "item:*").size());
        assertEquals(Set.of(), scanAll("TYPE", "list"));
        assertEquals(Set.of(), scanAll("TYPE", "nosuchtype"));
        // The last MATCH and COUNT win.
        assertEquals(Set.of("item:7"), scanAll("MATCH", "user:*", "MATCH", "item:7", "COUNT", "1", "COUNT", "1000"));
    }

    @Test
    void scanWithTypeHashOnStringsOnlyReturnsNothing() {
        r.call("MSET", "a", "1", "b", "2");
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", r.call("SCAN", "0", "TYPE", "hash"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", r.call("SCAN", "0", "MATCH", "zzz*"));
        r.call("FLUSHDB");
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", r.call("SCAN", "0"));
    }

    /** Issue 18: COUNT near or past Integer.MAX_VALUE overflowed the memory engine's bucket budget: no keys. */
    @Test
    void scanWithAHugeCountReturnsEverything() {
        r.call("MSET", "a", "1", "b", "2", "c", "3");
        for (String count : new String[] {"2147483647", "2147483648", "9223372036854775807"}) {
            String reply = r.call("SCAN", "0", "COUNT", count);
            assertTrue(reply.startsWith("*2\r\n$1\r\n0\r\n*3\r\n"), count + ": " + reply);
        }
    }

    @Test
    void scanErrors() {
        r.call("SET", "k", "v");
        assertEquals(error("ERR invalid cursor"), r.call("SCAN", "abc"));
        assertEquals(error("ERR invalid cursor"), r.call("SCAN", "18446744073709551616"));
        assertEquals(error("ERR invalid cursor"), r.call("SCAN", " 1"));
        assertEquals(error("ERR invalid cursor"), r.call("SCAN", "1 "));
        assertEquals(error("ERR invalid cursor"), r.call("SCAN", "1.5"));
        assertEquals(SYNTAX, r.call("SCAN", "0", "COUNT", "0"));
        assertEquals(SYNTAX, r.call("SCAN", "0", "COUNT", "-1"));
        assertEquals(NOT_INT, r.call("SCAN", "0", "COUNT", "abc"));
        assertEquals(SYNTAX, r.call("SCAN", "0", "MATCH"));
        assertEquals(SYNTAX, r.call("SCAN", "0", "COUNT"));
        assertEquals(SYNTAX, r.call("SCAN", "0", "TYPE"));
        assertEquals(SYNTAX, r.call("SCAN", "0", "FOO", "bar"));
        assertEquals(error("ERR wrong number of arguments for 'scan' command"), r.call("SCAN"));
    }

    /** Redis reads the cursor with strtoul: a sign, leading zeros and even an empty string are accepted. */
    @Test
    void scanCursorParsedLikeStrtoul() {
        r.call("SET", "k", "v");
        String whole = "*2\r\n$1\r\n0\r\n" + array("k");
        String ended = "*2\r\n$1\r\n0\r\n";
        assertAll(
                () -> assertEquals(whole, r.call("SCAN", "0")),
                () -> assertEquals(whole, r.call("SCAN", "00")),
                () -> assertEquals(whole, r.call("SCAN", ""), "SCAN \"\""),
                () -> assertEquals(whole, r.call("SCAN", "+0"), "SCAN +0"),
                // All-ones is the last cursor of any table: the walk ends there.
                () -> assertEquals(ended, r.call("SCAN", "18446744073709551615").substring(0, ended.length())),
                () -> assertEquals(ended, prefix(r.call("SCAN", "-1"), ended.length()), "SCAN -1"));
    }

    private static String prefix(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }

    @Test
    void randomkey() {
        assertEquals(NIL, r.call("RANDOMKEY"));
        r.call("SET", "only", "v");
        assertEquals(bulk("only"), r.call("RANDOMKEY"));
        r.call("MSET", "a", "1", "b", "2");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String reply = r.call("RANDOMKEY");
            assertTrue(reply.equals(bulk("only")) || reply.equals(bulk("a")) || reply.equals(bulk("b")), reply);
            seen.add(reply);
        }
        assertEquals(3, seen.size(), "200 RANDOMKEY calls over 3 keys should see each");
        r.call("FLUSHDB");
        assertEquals(NIL, r.call("RANDOMKEY"));
        assertEquals(error("ERR wrong number of arguments for 'randomkey' command"), r.call("RANDOMKEY", "x"));
    }

    @Test
    void dbsize() {
        assertEquals(integer(0), r.call("DBSIZE"));
        r.call("MSET", "a", "1", "b", "2", "c", "3");
        assertEquals(integer(3), r.call("DBSIZE"));
        r.call("SET", "a", "again");
        assertEquals(integer(3), r.call("DBSIZE"));
        r.call("DEL", "a");
        assertEquals(integer(2), r.call("DBSIZE"));
        r.call("SELECT", "1");
        assertEquals(integer(0), r.call("DBSIZE"));
        assertEquals(error("ERR wrong number of arguments for 'dbsize' command"), r.call("DBSIZE", "x"));
    }

    // ---- RENAME / RENAMENX / COPY / MOVE ----

    @Test
    void rename() {
        assertEquals(error("ERR no such key"), r.call("RENAME", "missing", "x"));
        r.call("SET", "a", "1");
        r.call("PEXPIRE", "a", "100000");
        assertEquals(OK, r.call("RENAME", "a", "b"));
        assertEquals(integer(0), r.call("EXISTS", "a"));
        assertEquals(bulk("1"), r.call("GET", "b"));
        assertEquals(integer(100), r.call("TTL", "b"));
        assertEquals(OK, r.call("RENAME", "b", "b"));
        assertEquals(bulk("1"), r.call("GET", "b"));
        assertEquals(integer(100), r.call("TTL", "b"));
        // Overwriting takes the source's value and TTL, dropping the destination's.
        r.call("SET", "c", "3", "EX", "500");
        assertEquals(OK, r.call("RENAME", "b", "c"));
        assertEquals(bulk("1"), r.call("GET", "c"));
        assertEquals(integer(100), r.call("TTL", "c"));
        r.call("SET", "x", "no ttl");
        assertEquals(OK, r.call("RENAME", "x", "c"));
        assertEquals(integer(-1), r.call("TTL", "c"));
        assertEquals(integer(1), r.call("DBSIZE"));
        assertEquals(error("ERR wrong number of arguments for 'rename' command"), r.call("RENAME", "c"));
    }

    @Test
    void renamenx() {
        assertEquals(error("ERR no such key"), r.call("RENAMENX", "missing", "x"));
        r.call("SET", "b", "1", "EX", "100");
        r.call("SET", "c", "3");
        assertEquals(integer(0), r.call("RENAMENX", "b", "b"));
        assertEquals(integer(0), r.call("RENAMENX", "b", "c"));
        assertEquals(bulk("3"), r.call("GET", "c"));
        assertEquals(integer(1), r.call("RENAMENX", "b", "d"));
        assertEquals(integer(0), r.call("EXISTS", "b"));
        assertEquals(bulk("1"), r.call("GET", "d"));
        assertEquals(integer(100), r.call("TTL", "d"));
    }

    @Test
    void copy() {
        r.call("SET", "c", "1", "EX", "100");
        assertEquals(SAME_OBJECT, r.call("COPY", "c", "c"));
        assertEquals(SAME_OBJECT, r.call("COPY", "c", "c", "DB", "0"));
        assertEquals(DB_RANGE, r.call("COPY", "c", "e", "DB", "16"));
        assertEquals(DB_RANGE, r.call("COPY", "c", "e", "DB", "-1"));
        assertEquals(NOT_INT, r.call("COPY", "c", "e", "DB", "abc"));
        assertEquals(SYNTAX, r.call("COPY", "c", "e", "FOO"));
        assertEquals(SYNTAX, r.call("COPY", "c", "e", "DB"));
        assertEquals(integer(0), r.call("COPY", "missing", "e"));
        assertEquals(integer(1), r.call("COPY", "c", "e"));
        assertEquals(integer(0), r.call("COPY", "c", "e"));
        assertEquals(bulk("1"), r.call("GET", "e"));
        assertEquals(integer(100), r.call("TTL", "e"));
        r.call("SET", "e", "old");
        assertEquals(integer(0), r.call("COPY", "c", "e"));
        assertEquals(bulk("old"), r.call("GET", "e"));
        assertEquals(integer(1), r.call("COPY", "c", "e", "REPLACE"));
        assertEquals(bulk("1"), r.call("GET", "e"));
        assertEquals(integer(100), r.call("TTL", "e"));
        // The copy is independent of the source.
        r.call("APPEND", "e", "x");
        assertEquals(bulk("1"), r.call("GET", "c"));
        assertEquals(integer(1), r.call("COPY", "c", "c", "DB", "1"));
        assertEquals(integer(0), r.call("COPY", "c", "c", "DB", "1"));
        assertEquals(integer(1), r.call("COPY", "c", "c", "replace", "db", "1"));
        r.call("SELECT", "1");
        assertEquals(bulk("1"), r.call("GET", "c"));
        assertEquals(integer(100), r.call("TTL", "c"));
        assertEquals(integer(1), r.call("DBSIZE"));
    }

    @Test
    void move() {
        r.call("SET", "e", "v", "EX", "100");
        assertEquals(integer(1), r.call("MOVE", "e", "1"));
        assertEquals(integer(0), r.call("EXISTS", "e"));
        assertEquals(integer(0), r.call("MOVE", "e", "1"));
        assertEquals(integer(0), r.call("MOVE", "missing", "1"));
        r.call("SET", "x", "1");
        assertEquals(SAME_OBJECT, r.call("MOVE", "x", "0"));
        assertEquals(SAME_OBJECT, r.call("MOVE", "missing", "0"));
        assertEquals(DB_RANGE, r.call("MOVE", "x", "16"));
        assertEquals(DB_RANGE, r.call("MOVE", "x", "-1"));
        // The destination already holds the key: nothing moves.
        r.call("SET", "e", "here");
        assertEquals(integer(0), r.call("MOVE", "e", "1"));
        assertEquals(bulk("here"), r.call("GET", "e"));
        r.call("SELECT", "1");
        assertEquals(bulk("v"), r.call("GET", "e"));
        assertEquals(integer(100), r.call("TTL", "e"));
    }

    @Test
    void moveWithNonIntegerDb() {
        r.call("SET", "x", "1");
        assertEquals(NOT_INT, r.call("MOVE", "x", "abc"));
    }

    // ---- FLUSHDB / FLUSHALL / SWAPDB / SELECT ----

    @Test
    void flushdbAndFlushall() {
        r.call("SET", "a", "0");
        r.call("SELECT", "1");
        r.call("SET", "b", "1");
        assertEquals(OK, r.call("FLUSHDB"));
        assertEquals(integer(0), r.call("DBSIZE"));
        r.call("SELECT", "0");
        assertEquals(integer(1), r.call("DBSIZE"));
        for (String mode : new String[] {"ASYNC", "SYNC", "async", "sync"}) {
            r.call("SET", "a", "0");
            assertEquals(OK, r.call("FLUSHDB", mode), mode);
            assertEquals(integer(0), r.call("DBSIZE"), mode);
        }
        assertEquals(SYNTAX, r.call("FLUSHDB", "FOO"));
        assertEquals(SYNTAX, r.call("FLUSHDB", "SYNC", "ASYNC"));
        assertEquals(SYNTAX, r.call("FLUSHALL", "FOO"));
        assertEquals(SYNTAX, r.call("FLUSHALL", "SYNC", "ASYNC"));
        r.call("SET", "a", "0");
        r.call("SELECT", "15");
        r.call("SET", "c", "15");
        assertEquals(OK, r.call("FLUSHALL", "ASYNC"));
        assertEquals(integer(0), r.call("DBSIZE"));
        r.call("SELECT", "0");
        assertEquals(integer(0), r.call("DBSIZE"));
        r.call("SET", "a", "0", "EX", "100");
        assertEquals(OK, r.call("FLUSHALL", "SYNC"));
        assertEquals(OK, r.call("FLUSHALL"));
        assertEquals("$12\r\n# Keyspace\r\n\r\n", r.call("INFO", "keyspace"));
    }

    @Test
    void swapdbIsSeenByOtherConnections() {
        r.call("SET", "k", "from0");
        r.call("SET", "t", "v", "EX", "100");
        try (Wire other = server.connect()) {
            assertEquals(OK, other.call("SELECT", "1"));
            other.call("SET", "only1", "x");
            assertEquals(NIL, other.call("GET", "k"));
            assertEquals(OK, r.call("SWAPDB", "0", "1"));
            assertEquals(bulk("from0"), other.call("GET", "k"));
            assertEquals(integer(100), other.call("TTL", "t"));
            assertEquals(NIL, r.call("GET", "k"));
            assertEquals(bulk("x"), r.call("GET", "only1"));
            assertEquals(OK, other.call("SWAPDB", "1", "0"));
            assertEquals(bulk("from0"), r.call("GET", "k"));
            assertEquals(integer(1), other.call("DBSIZE"));
        }
        assertEquals(OK, r.call("SWAPDB", "0", "0"));
        assertEquals(bulk("from0"), r.call("GET", "k"));
    }

    @Test
    void swapdbErrors() {
        assertEquals(error("ERR invalid first DB index"), r.call("SWAPDB", "abc", "1"));
        assertEquals(error("ERR invalid first DB index"), r.call("SWAPDB", "1.5", "0"));
        assertEquals(error("ERR invalid second DB index"), r.call("SWAPDB", "0", "abc"));
        assertEquals(error("ERR invalid second DB index"), r.call("SWAPDB", "0", "2147483648"));
        assertEquals(DB_RANGE, r.call("SWAPDB", "0", "16"));
        assertEquals(DB_RANGE, r.call("SWAPDB", "-1", "0"));
        assertEquals(error("ERR wrong number of arguments for 'swapdb' command"), r.call("SWAPDB", "0"));
    }

    @Test
    void selectIsolatesDatabases() {
        r.call("SET", "k", "zero");
        assertEquals(OK, r.call("SELECT", "1"));
        assertEquals(NIL, r.call("GET", "k"));
        assertEquals(integer(0), r.call("EXISTS", "k"));
        r.call("SET", "k", "one");
        r.call("SET", "extra", "1");
        assertEquals(integer(2), r.call("DBSIZE"));
        try (Wire other = server.connect()) {
            assertEquals(bulk("zero"), other.call("GET", "k"));
            assertEquals(integer(1), other.call("DBSIZE"));
            assertEquals("*0\r\n", other.call("KEYS", "extra"));
        }
        assertEquals(OK, r.call("SELECT", "0"));
        assertEquals(bulk("zero"), r.call("GET", "k"));
        assertEquals(OK, r.call("SELECT", "15"));
        assertEquals(NIL, r.call("GET", "k"));
    }

    // ---- OBJECT ----

    @Test
    void objectSubcommands() {
        r.call("SET", "i", "12345");
        r.call("SET", "e", "hello");
        r.call("SET", "raw", "x".repeat(45));
        r.call("SET", "big", "123456789012345678901");
        assertEquals(bulk("int"), r.call("OBJECT", "ENCODING", "i"));
        assertEquals(bulk("embstr"), r.call("OBJECT", "ENCODING", "e"));
        assertEquals(bulk("raw"), r.call("OBJECT", "encoding", "raw"));
        assertEquals(bulk("embstr"), r.call("OBJECT", "ENCODING", "big"));
        assertEquals(NIL, r.call("OBJECT", "ENCODING", "missing"));
        assertEquals(integer(1), r.call("OBJECT", "REFCOUNT", "e"));
        assertEquals(integer(1), r.call("OBJECT", "REFCOUNT", "i"));
        assertEquals(NIL, r.call("OBJECT", "REFCOUNT", "missing"));
        assertEquals(integer(0), r.call("OBJECT", "IDLETIME", "e"));
        assertEquals(NIL, r.call("OBJECT", "IDLETIME", "missing"));
        assertEquals(error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
                + "that when switching between policies at runtime LRU and LFU data will take some time to adjust."),
                r.call("OBJECT", "FREQ", "e"));
        assertEquals(error("ERR unknown subcommand 'foo'. Try OBJECT HELP."), r.call("OBJECT", "foo"));
        assertEquals(error("ERR unknown subcommand 'foo'. Try OBJECT HELP."), r.call("OBJECT", "foo", "bar"));
        assertEquals(error("ERR wrong number of arguments for 'object' command"), r.call("OBJECT"));
        assertEquals(error("ERR wrong number of arguments for 'object|encoding' command"), r.call("OBJECT", "ENCODING"));
        assertEquals(error("ERR wrong number of arguments for 'object|help' command"), r.call("OBJECT", "help", "extra"));
    }

    /** Redis shares the objects for 0..9999 (maxmemory-policy noeviction), so their refcount is INT_MAX. */
    @Test
    void objectRefcountOfSharedIntegers() {
        r.call("SET", "s", "5");
        assertEquals(integer(2147483647), r.call("OBJECT", "REFCOUNT", "s"));
        r.call("SET", "s", "9999");
        assertEquals(integer(2147483647), r.call("OBJECT", "REFCOUNT", "s"));
        r.call("SET", "s", "10000");
        assertEquals(integer(1), r.call("OBJECT", "REFCOUNT", "s"));
        r.call("SET", "s", "-5");
        assertEquals(integer(1), r.call("OBJECT", "REFCOUNT", "s"));
    }

    @Test
    void objectHelp() {
        assertEquals("*15\r\n"
                + "+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+ENCODING <key>\r\n"
                + "+    Return the kind of internal representation used in order to store the value\r\n"
                + "+    associated with a <key>.\r\n"
                + "+FREQ <key>\r\n"
                + "+    Return the access frequency index of the <key>. The returned integer is\r\n"
                + "+    proportional to the logarithm of the recent access frequency of the key.\r\n"
                + "+IDLETIME <key>\r\n"
                + "+    Return the idle time of the <key>, that is the approximated number of\r\n"
                + "+    seconds elapsed since the last access to the key.\r\n"
                + "+REFCOUNT <key>\r\n"
                + "+    Return the number of references of the value associated with the specified\r\n"
                + "+    <key>.\r\n"
                + "+HELP\r\n"
                + "+    Prints this help.\r\n", r.call("OBJECT", "HELP"));
    }

    @Test
    void expireAndPersistKeepABigCollectionsPages() {
        String[] hset = new String[2 + 2 * 300];
        hset[0] = "HSET";
        hset[1] = "h";
        for (int i = 0; i < 300; i++) {
            hset[2 + 2 * i] = "f" + i;
            hset[3 + 2 * i] = "v" + i;
        }
        r.call(hset);
        for (int i = 0; i < 300; i++) r.call("RPUSH", "l", "e" + i);
        for (String key : new String[] {"h", "l"}) {
            assertEquals(integer(1), r.call("EXPIRE", key, "1000"));
            assertEquals(integer(1), r.call("PERSIST", key));
            assertEquals(OK, r.call("SET", "other", "x", "EX", "100"));
        }
        server.context().keyspace().space().reclaim();
        assertEquals(0, server.context().keyspace().space().pending());
        assertEquals(integer(300), r.call("HLEN", "h"));
        assertEquals(bulk("v299"), r.call("HGET", "h", "f299"));
        assertEquals(bulk("e150"), r.call("LINDEX", "l", "150"));
    }
}
