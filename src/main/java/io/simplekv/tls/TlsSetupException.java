package io.simplekv.tls;

/** The TLS context could not be built; the message is the one line Redis logs for the same fault. */
public final class TlsSetupException extends RuntimeException {
    public TlsSetupException(String message) {
        super(message, null, false, false);
    }
}
