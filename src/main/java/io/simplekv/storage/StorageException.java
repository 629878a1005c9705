package io.simplekv.storage;

/**
 * A limit of the engine that a client's request ran into (e.g. a key too large for one map entry). The command
 * fails with this message as an error reply; it is not a server fault, so it carries no stack trace.
 */
public final class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message, null, false, false);
    }
}
