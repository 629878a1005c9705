package io.simplekv.command;

import io.simplekv.protocol.ReplySink;

/** Runs one command whose arity, auth and locks the {@link CommandService} has already taken care of. */
@FunctionalInterface
public interface CommandHandler {
    void execute(Session client, byte[][] args, ReplySink out);
}
