package io.simplekv.command;

/** What commands may ask of the network server around them: its port (CONFIG SET port) and a stop (SHUTDOWN). */
public interface ServerControl {
    /** The port the server listens on. */
    int port();

    /** Moves the listeners to these addresses and port (CONFIG SET bind, port); returns null or the reason it failed. */
    String rebind(java.util.List<String> bind, int port);

    /**
     * CONFIG SET changed a tls-* directive (tls-port among them): rebuild the TLS context for new connections and
     * move the TLS listener. Returns null or the reason it failed, with the old context and listener kept.
     */
    default String reconfigureTls(io.simplekv.config.ServerConfig before, io.simplekv.config.ServerConfig after) {
        return null;
    }

    /** Asks the server to stop; the work happens off the calling thread. */
    void requestShutdown();

    /** No network server (unit tests): the configured port, no rebinding, shutdown ignored. */
    static ServerControl detached(int port) {
        return new ServerControl() {
            @Override public int port() { return port; }
            @Override public String rebind(java.util.List<String> bind, int p) { return "Unable to listen on this port"; }
            @Override public void requestShutdown() {}
        };
    }
}
