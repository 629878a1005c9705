package io.simplekv.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The server's current TLS context. CONFIG SET of a tls-* directive builds a new one and swaps it in whole: new
 * connections use it, connections already open keep the one they shook hands with, and a context that fails to
 * build leaves the old one serving (Redis's tlsConfigure is atomic the same way).
 */
public final class ServerTls {
    private record Current(SslContext context, TlsSettings settings, SslProvider provider) {}

    private volatile Current current;

    /** Builds the context for {@code settings} and makes it current; throws {@link TlsSetupException}, changing nothing. */
    public synchronized void configure(TlsSettings settings) {
        SslProvider provider = ServerTlsContexts.defaultProvider();
        current = new Current(ServerTlsContexts.build(settings, provider), settings, provider);
    }

    public boolean configured() {
        return current != null;
    }

    /** Whether {@code settings} differ from those of the current context. */
    public boolean differs(TlsSettings settings) {
        Current c = current;
        return c == null || !c.settings.equals(settings);
    }

    /** The handler a new connection's pipeline starts with. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        Current c = current;
        SslHandler handler = c.context.newHandler(alloc);
        // Set either way: Netty's OpenSSL contexts prefer the server's order unless told otherwise, Redis's do not.
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setUseCipherSuitesOrder(c.settings.preferServerCiphers());
        engine.setSSLParameters(params);
        return handler;
    }

    /** Which TLS implementation serves (OPENSSL or JDK), for the startup log; null before {@link #configure}. */
    public SslProvider provider() {
        Current c = current;
        return c == null ? null : c.provider;
    }
}
