package io.simplekv.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.simplekv.command.ServerContext;
import io.simplekv.observe.ServerStats;
import io.simplekv.protocol.QueryBuffer;
import io.simplekv.protocol.RequestDecoder;

/**
 * One connection's handlers, in order: bytes counter → RequestDecoder (Redis's own request parsing) →
 * ClientHandler. Shared by the TCP server and by tests on an EmbeddedChannel.
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

    public void install(Channel ch) {
        QueryBuffer queryBuffer = new QueryBuffer();
        ClientHandler handler = new ClientHandler(context, groupCommits, crossProtocolGuard, clientErrorLog, queryBuffer);
        RequestDecoder decoder = new RequestDecoder(
                () -> context.config().protoMaxBulkLen,
                () -> context.config().clientQueryBufferLimit,
                handler::authRequired, queryBuffer);
        // Pub/sub pushes one message per subscriber per publish; coalescing the flushes of one event-loop pass
        // into one write syscall is what keeps fan-out cheap (Netty's own handler for exactly this).
        ch.pipeline().addLast(new FlushConsolidationHandler(256, true));
        ch.pipeline().addLast(new InboundBytes(context.stats()), decoder, handler);
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
