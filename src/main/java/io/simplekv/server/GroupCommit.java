package io.simplekv.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

import io.simplekv.persistence.Persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code appendfsync always} the way Redis does it: the replies to writes that every connection of one event loop
 * produced in a turn wait here, the loop forces the changed tables once (a task that runs after the turn's reads),
 * and only then are they sent. One force covers every client served in the turn, not one per client. Only its
 * own event loop touches an instance.
 */
final class GroupCommit {
    private record Waiting(ChannelHandlerContext ctx, ByteBuf out, Connection client) {}

    private final Persistence persistence;
    private final List<Waiting> queue = new ArrayList<>();
    private boolean scheduled;

    GroupCommit(Persistence persistence) {
        this.persistence = persistence;
    }

    /** Holds {@code out} until the next force; later output of the same client must queue behind it (see awaitingCommit). */
    void enqueue(ChannelHandlerContext ctx, ByteBuf out, Connection client) {
        queue.add(new Waiting(ctx, out, client));
        client.awaitingCommit(true);
        if (!scheduled) {
            scheduled = true;
            ctx.channel().eventLoop().execute(this::commit);
        }
    }

    private void commit() {
        scheduled = false;
        List<Waiting> batch = new ArrayList<>(queue);
        queue.clear();
        boolean forced = persistence.beforeReplies();
        for (Waiting w : batch) {
            w.client().awaitingCommit(false);
            if (!forced || !w.ctx().channel().isActive()) {
                // Not known to be on disk: no reply may say it is, so the client sees its connection drop.
                w.out().release();
                w.ctx().close();
                continue;
            }
            var future = w.ctx().writeAndFlush(w.out());
            if (w.client().session().closingAfterReply()) future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
