package io.simplekv.protocol;

/** A request that breaks RESP; the connection gets "-ERR Protocol error: ..." and is closed, as in Redis. */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String reason) {
        super(reason, null, false, false);
    }

    public String reply() {
        return "ERR Protocol error: " + getMessage();
    }
}
