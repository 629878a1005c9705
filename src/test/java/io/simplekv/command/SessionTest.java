package io.simplekv.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.simplekv.protocol.RespWriter;
import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Commands run on a Session with no channel at all, straight through the command service, as a script's
 * redis.call will: the command layer needs no socket, and its replies go to any ReplySink.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class SessionTest {
    @Parameter
    EngineKind engine;
    @TempDir
    Path dir;
    private ServerFixture server;
    private Session session;

    @BeforeEach
    void open() {
        server = new ServerFixture(engine, dir, Map.of());
        session = server.context().newSession(ClientLink.DETACHED);
        server.context().clients().add(session);
    }

    @AfterEach
    void close() {
        server.context().service().disconnected(session);
        server.close();
    }

    private String run(String... args) {
        byte[][] request = new byte[args.length][];
        for (int i = 0; i < args.length; i++) request[i] = args[i].getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.buffer();
        try {
            server.context().service().execute(session, request, new RespWriter(buf));
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    @Test
    void runsCommandsWithoutAConnection() {
        assertEquals("+OK\r\n", run("SET", "k", "1"));
        assertEquals(":2\r\n", run("INCR", "k"));
        assertEquals("+OK\r\n", run("SELECT", "3"));
        assertEquals("$-1\r\n", run("GET", "k"));
        assertEquals(3, session.dbIndex());
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", run("GET"));
        assertEquals(":" + session.id() + "\r\n", run("CLIENT", "ID"));
    }

    @Test
    void runsTransactionsAndWatch() {
        run("WATCH", "w");
        assertEquals("+OK\r\n", run("MULTI"));
        assertEquals("+QUEUED\r\n", run("RPUSH", "l", "a"));
        assertEquals("+QUEUED\r\n", run("LPOP", "l"));
        assertEquals("*2\r\n:1\r\n$1\r\na\r\n", run("EXEC"));
        run("WATCH", "w");
        run("SET", "w", "changed by the watcher itself");
        run("MULTI");
        run("PING");
        assertEquals("*-1\r\n", run("EXEC"));
    }

    /** With nothing to wait on, a blocking command answers at once, as inside EXEC (and as in a Redis script). */
    @Test
    void aBlockingCommandAnswersAtOnce() {
        assertEquals("*-1\r\n", run("BLPOP", "nothing", "0"));
        assertEquals("$-1\r\n", run("BLMOVE", "nothing", "dst", "LEFT", "LEFT", "0"));
        run("RPUSH", "l", "x");
        assertEquals("*2\r\n$1\r\nl\r\n$1\r\nx\r\n", run("BLPOP", "l", "0"));
    }
}
