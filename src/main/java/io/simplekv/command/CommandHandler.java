package io.simplekv.command;

import io.simplekv.protocol.RespWriter;
import io.simplekv.server.ClientConnection;

/** Runs one command whose arity, auth and locks the {@link CommandService} has already taken care of. */
@FunctionalInterface
public interface CommandHandler {
    void execute(ClientConnection client, byte[][] args, RespWriter out);
}
