package io.simplekv.support;

import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.Records;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.simplekv.support.Resp.error;

/**
 * What every engine-parameterised command suite shares: a server over {@link #engine} in a temporary dir and one
 * connection {@link #r}, made fresh for each test. Subclasses add {@code @ParameterizedClass @EnumSource(EngineKind.class)}.
 */
public abstract class ServerTestBase {
    public static final String NOT_INT = error("ERR value is not an integer or out of range");
    public static final String WRONGTYPE = error("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static final String SYNTAX = error("ERR syntax error");

    @Parameter
    protected EngineKind engine;
    @TempDir
    protected Path dir;
    protected ServerFixture server;
    protected Wire r;

    @BeforeEach
    void startServer() {
        server = new ServerFixture(engine, dir, config());
        r = server.connect();
    }

    @AfterEach
    void stopServer() {
        r.close();
        server.close();
    }

    /** Config overrides for this suite's server (e.g. enable-debug-command for suites that need DEBUG). */
    protected java.util.Map<String, String> config() {
        return java.util.Map.of();
    }

    /** Puts a non-string key straight into the keyspace, for WRONGTYPE paths before other types exist. */
    protected void putHash(int db, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        server.context().keyspace().db(db).put(k, Records.encode(KeyType.HASH, Records.NO_EXPIRY, new byte[1], 0, 1, false));
    }

    protected void putHash(String key) {
        putHash(0, key);
    }
}
