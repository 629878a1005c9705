package io.simplekv.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.redis.FixedRedisMessagePool;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.redis.RedisDecoder;
import io.simplekv.command.ServerContext;
import io.simplekv.observe.ServerStats;
import io.simplekv.protocol.CommandAssembler;

/**
 * One connection's handlers, in order: bytes counter → line guard → Netty's RedisDecoder (inline commands on)
 * → CommandAssembler → ClientHandler. Shared by the TCP server and by tests on an EmbeddedChannel.
 */
public final class Pipeline {
    private final ServerContext context;
    private final GroupCommits groupCommits;
    private final CrossProtocolGuard crossProtocolGuard = new CrossProtocolGuard();
    private final ClientErrorLog clientErrorLog = new ClientErrorLog();

    public Pipeline(ServerContext context) {
        this.context = context;
        this.groupCommits = new GroupCommits(context.persistence());
    }

    /** Redis's PROTO_INLINE_MAX_SIZE. */
    private static final int MAX_INLINE = 64 * 1024;

    public void install(Channel ch) {
        CommandAssembler assembler = new CommandAssembler(
                () -> context.config().protoMaxBulkLen,
                () -> context.config().clientQueryBufferLimit);
        // Pub/sub pushes one message per subscriber per publish; coalescing the flushes of one event-loop pass
        // into one write syscall is what keeps fan-out cheap (Netty's own handler for exactly this).
        ch.pipeline().addLast(new FlushConsolidationHandler(256, true));
        ch.pipeline().addLast(new InboundBytes(context.stats()), assembler.lineGuard(),
                new RedisDecoder(MAX_INLINE, FixedRedisMessagePool.INSTANCE, true),
                assembler, new ClientHandler(context, groupCommits, assembler, crossProtocolGuard, clientErrorLog));
    }

    /** Counts bytes received for INFO's total_net_input_bytes. */
    private static final class InboundBytes extends ChannelInboundHandlerAdapter {
        private final ServerStats stats;

        InboundBytes(ServerStats stats) {
            this.stats = stats;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            stats.netInputBytes.add(((ByteBuf) msg).readableBytes());
            ctx.fireChannelRead(msg);
        }
    }
}
