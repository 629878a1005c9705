package io.simplekv.it;

import io.simplekv.config.ServerConfig;
import io.simplekv.server.SimpleKvServer;
import io.simplekv.storage.MemoryEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ACL over TCP with Jedis: a user from the config file and one made by ACL SETUSER, their limits, their end. */
class AclIT {
    @TempDir
    static Path dir;
    static SimpleKvServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        ServerConfig config = ServerConfig.defaults().with("port", List.of("0")).with("dir", List.of(dir.toString()))
                .withUser(List.of("reader", "on", ">rpw", "%R~*", "+@read", "+@connection"));
        server = new SimpleKvServer(config, new MemoryEngine());
        port = server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aUserIsLimitedToItsRulesAndDisconnectedWhenDeleted() {
        try (Jedis admin = new Jedis("127.0.0.1", port); Jedis app = new Jedis("127.0.0.1", port)) {
            assertEquals("OK", admin.aclSetUser("app", "on", ">s3cret", "~app:*", "+get", "+set", "+acl|whoami"));
            assertThrows(JedisAccessControlException.class, () -> app.auth("app", "wrong"));
            assertEquals("OK", app.auth("app", "s3cret"));
            assertEquals("app", app.aclWhoAmI());
            assertEquals("OK", app.set("app:1", "v"));
            assertEquals("v", app.get("app:1"));
            JedisDataException key = assertThrows(JedisDataException.class, () -> app.get("other"));
            assertEquals("NOPERM this user has no permissions to access one of the keys used as arguments", key.getMessage());
            JedisDataException cmd = assertThrows(JedisDataException.class, () -> app.del("app:1"));
            assertEquals("NOPERM this user has no permissions to run the 'del' command", cmd.getMessage());
            assertEquals(1L, admin.aclDelUser("app"));
            assertThrows(JedisConnectionException.class, app::ping);
            assertEquals("PONG", admin.ping());
        }
    }

    @Test
    void aUserFromTheConfigFileReadsButDoesNotWrite() {
        try (Jedis admin = new Jedis("127.0.0.1", port); Jedis reader = new Jedis("127.0.0.1", port)) {
            admin.set("shared", "x");
            assertEquals("OK", reader.auth("reader", "rpw"));
            assertEquals("x", reader.get("shared"));
            assertThrows(JedisDataException.class, () -> reader.set("shared", "y"));
            assertTrue(admin.aclList().stream().anyMatch(l -> l.startsWith("user reader on #")));
        }
    }
}
