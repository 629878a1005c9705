package io.simplekv.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.simplekv.keyspace.Keyspace;
import io.simplekv.keyspace.UnitOfWork;
import io.simplekv.support.EngineKind;
import io.simplekv.support.Resp;
import io.simplekv.support.ServerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On chronicle a client's pipelined commands share one commit (group commit), and no reply of the batch may reach
 * the socket before that commit: the moment a reply is written, another thread must find the batch's writes
 * stored and their shards free.
 */
class GroupCommitOrderTest {
    @TempDir
    Path dir;

    @Test
    void theRepliesOfAPipelinedBatchAreWrittenOnlyAfterItsWritesAreCommitted() throws Exception {
        try (ServerFixture server = new ServerFixture(EngineKind.CHRONICLE, dir)) {
            Keyspace ks = server.context().keyspace();
            List<String> seenAtWrite = new ArrayList<>();
            EmbeddedChannel ch = new EmbeddedChannel();
            ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
                @Override
                public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                    seenAtWrite.add(readElsewhere(ks, "a") + "," + readElsewhere(ks, "b"));
                    super.write(ctx, msg, promise);
                }
            });
            new Pipeline(server.context()).install(ch);
            ch.pipeline().fireChannelActive();
            String pipeline = Resp.command("SET", "a", "1") + Resp.command("INCR", "b") + Resp.command("SET", "a", "2")
                    + Resp.command("INCR", "b");
            ch.writeInbound(Unpooled.wrappedBuffer(pipeline.getBytes(StandardCharsets.ISO_8859_1)));
            ch.runPendingTasks();
            StringBuilder replies = new StringBuilder();
            for (Object b; (b = ch.readOutbound()) != null; ) {
                replies.append(((io.netty.buffer.ByteBuf) b).toString(StandardCharsets.ISO_8859_1));
                ((io.netty.buffer.ByteBuf) b).release();
            }
            assertEquals("+OK\r\n:1\r\n+OK\r\n:2\r\n", replies.toString());
            assertTrue(!seenAtWrite.isEmpty());
            for (String seen : seenAtWrite) assertEquals("2,2", seen, "what another client read as the replies left");
            ch.close();
        }
    }

    /** The key's value as another thread reads it through its own unit: "busy" while this thread holds its shard. */
    private static String readElsewhere(Keyspace ks, String key) throws Exception {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try (UnitOfWork u = ks.unit().key(k).open()) {
                byte[] v = ks.db(0).readString(k);
                return v == null ? "nil" : new String(io.simplekv.keyspace.Records.payload(v), StandardCharsets.UTF_8);
            }
        });
        try {
            return read.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return "busy";
        }
    }
}
