package io.simplekv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * simplekv as a master: the replication stream a SYNC gets, command by command, as Redis 7.0 propagates it; and a
 * real redis-server (Debian's, which the test command installs) following simplekv with REPLICAOF until both hold
 * the same data by DEBUG DIGEST, on both engines.
 */
class ReplicationIT {
    @TempDir
    Path dir;

    @Test
    void syncGetsTheSnapshotThenEveryChangeAsRedisPropagatesIt() throws Exception {
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.toString());
             Jedis j = new Jedis("127.0.0.1", s.port());
             Socket replica = new Socket("127.0.0.1", s.port())) {
            j.set("before", "1");
            j.configSet("repl-ping-replica-period", "3600");
            OutputStream out = replica.getOutputStream();
            out.write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DataInputStream in = new DataInputStream(replica.getInputStream());
            String header = line(in);
            assertTrue(header.startsWith("$"), header);
            byte[] rdb = new byte[Integer.parseInt(header.substring(1))];
            in.readFully(rdb);
            assertEquals("REDIS0010", new String(rdb, 0, 9, StandardCharsets.US_ASCII));
            assertTrue(new String(rdb, StandardCharsets.ISO_8859_1).contains("before"), "the key set before SYNC is in the snapshot");

            j.set("k", "v", SetParams.setParams().ex(100));
            j.incrByFloat("f", 1.5);
            j.get("k"); // a read propagates nothing
            j.del("nothing"); // nor does a write that changed nothing
            j.getDel("k");
            redis.clients.jedis.Transaction t = j.multi();
            t.set("a", "1");
            t.set("b", "2");
            t.exec();
            j.eval("redis.call('set', KEYS[1], 'x') redis.call('incr', KEYS[2])", 2, "s1", "s2");
            j.rpush("l", "1", "2", "3");
            j.lmpop(redis.clients.jedis.args.ListDirection.LEFT, 10, "l");
            j.select(3);
            j.sadd("set", "m");
            j.spop("set");

            List<String> expected = List.of(
                    "SELECT 0", "set k v PXAT \\d+", "SET f 1.5 KEEPTTL", "DEL k",
                    "MULTI", "set a 1", "set b 2", "EXEC",
                    "MULTI", "set s1 x", "incr s2", "EXEC",
                    "rpush l 1 2 3", "LPOP l 3",
                    "SELECT 3", "sadd set m", "SREM set m");
            replica.setSoTimeout(5000);
            for (String pattern : expected) {
                String command = String.join(" ", command(in));
                assertTrue(Pattern.matches("(?i)" + pattern, command), "expected " + pattern + ", got " + command);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "chronicle"})
    void aRealRedisReplicaFollowsSimplekv(String storage) throws Exception {
        try (ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.resolve("master").toString(),
                "--storage", storage, "--enable-debug-command", "yes");
             Jedis master = new Jedis("127.0.0.1", s.port())) {
            master.set("before", "1", SetParams.setParams().px(600_000));
            for (int i = 0; i < 500; i++) {
                master.rpush("list", "e" + i);
                master.hset("hash", "f" + i, "v" + i);
                master.zadd("zset", i, "m" + i);
            }
            master.xadd("stream", redis.clients.jedis.StreamEntryID.NEW_ENTRY, Map.of("f", "v"));
            int port = ServerProcess.freePort();
            Path replicaDir = dir.resolve("replica");
            java.nio.file.Files.createDirectories(replicaDir);
            Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--enable-debug-command", "yes", "--dir", replicaDir.toString(),
                    "--replicaof", "127.0.0.1", Integer.toString(s.port())).redirectErrorStream(true)
                    .redirectOutput(replicaDir.resolve("redis.log").toFile()).start();
            try (Jedis replica = ServerProcess.connectWhenUp(port, 10_000)) {
                awaitLinkUp(replica);
                // Changes made after the snapshot arrive through the stream.
                master.incrBy("counter", 41);
                master.incr("counter");
                master.expire("list", 1000);
                master.lpop("list");
                redis.clients.jedis.Transaction t = master.multi();
                t.hset("hash", "new", "x");
                t.zincrby("zset", 2.5, "m7");
                t.exec();
                master.eval("redis.call('set', 'from-script', ARGV[1]) return 1", 0, "v");
                master.select(5);
                master.set("in5", "y");
                master.select(0);
                String want = digest(master);
                long deadline = System.currentTimeMillis() + 10_000;
                while (!want.equals(digest(replica)) && System.currentTimeMillis() < deadline) Thread.sleep(50);
                assertEquals(want, digest(replica), "the replica's data equals the master's");
                assertEquals("42", replica.get("counter"));
                assertTrue(replica.pttl("before") > 0, "the TTL came along");
                assertEquals("1", master.info("replication").lines()
                        .filter(l -> l.startsWith("connected_slaves:")).findFirst().orElse("").split(":")[1].trim());
            } finally {
                redis.destroy();
                redis.waitFor();
            }
        }
    }

    private static String digest(Jedis j) {
        return new String((byte[]) j.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "DIGEST"),
                StandardCharsets.US_ASCII);
    }

    private static void awaitLinkUp(Jedis replica) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        String info = "";
        while (System.currentTimeMillis() < deadline) {
            info = replica.info("replication");
            if (info.contains("master_link_status:up")) return;
            Thread.sleep(100);
        }
        throw new AssertionError("the replica never linked up: " + info);
    }

    /** One command of the stream: *N then N bulk strings. */
    private static List<String> command(DataInputStream in) throws IOException {
        String head = line(in);
        assertTrue(head.startsWith("*"), "a command array, not " + head);
        int n = Integer.parseInt(head.substring(1));
        List<String> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = Integer.parseInt(line(in).substring(1));
            byte[] b = new byte[len + 2];
            in.readFully(b);
            args.add(new String(b, 0, len, StandardCharsets.UTF_8));
        }
        return args;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new IOException("stream ended");
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /**
     * The other way round: simplekv as a replica (REPLICAOF) of Debian's redis-server. It takes the master's data in
     * place of its own, follows its writes (a transaction and a script among them) to an equal DEBUG DIGEST, refuses
     * its own clients' writes meanwhile, and keeps the data when REPLICAOF NO ONE makes it a master again.
     */
    @ParameterizedTest
    @ValueSource(strings = {"memory", "chronicle"})
    void simplekvFollowsARealRedisMaster(String storage) throws Exception {
        int port = ServerProcess.freePort();
        Path masterDir = dir.resolve("redis");
        java.nio.file.Files.createDirectories(masterDir);
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--enable-debug-command", "yes", "--dir", masterDir.toString())
                .redirectErrorStream(true).redirectOutput(masterDir.resolve("redis.log").toFile()).start();
        try (Jedis master = ServerProcess.connectWhenUp(port, 10_000);
             ServerProcess s = ServerProcess.start("--port", "0", "--dir", dir.resolve("replica").toString(),
                     "--storage", storage, "--enable-debug-command", "yes");
             Jedis replica = new Jedis("127.0.0.1", s.port())) {
            master.set("before", "1", SetParams.setParams().px(600_000));
            for (int i = 0; i < 300; i++) master.hset("hash", "f" + i, "v" + i);
            replica.set("mine", "gone after the sync");
            assertEquals("OK", replica.replicaof("127.0.0.1", port));
            awaitLinkUp(replica);
            master.incrBy("counter", 41);
            redis.clients.jedis.Transaction t = master.multi();
            t.incr("counter");
            t.rpush("list", "a", "b");
            t.exec();
            master.eval("redis.call('set', 'from-script', ARGV[1]) return 1", 0, "v");
            String want = digest(master);
            long deadline = System.currentTimeMillis() + 10_000;
            while (!want.equals(digest(replica)) && System.currentTimeMillis() < deadline) Thread.sleep(50);
            assertEquals(want, digest(replica), "the replica's data equals the master's");
            assertEquals(null, replica.get("mine"), "a full sync replaces what the replica had");
            redis.clients.jedis.exceptions.JedisDataException readOnly = org.junit.jupiter.api.Assertions.assertThrows(
                    redis.clients.jedis.exceptions.JedisDataException.class, () -> replica.set("x", "1"));
            assertEquals("READONLY You can't write against a read only replica.", readOnly.getMessage());
            assertEquals("slave", replica.role().get(0).toString());
            assertEquals("OK", replica.replicaofNoOne());
            assertEquals("OK", replica.set("x", "1"), "a master again");
            assertEquals("42", replica.get("counter"), "and the data stays");
        } finally {
            redis.destroy();
            redis.waitFor();
        }
    }
}
