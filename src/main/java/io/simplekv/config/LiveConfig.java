package io.simplekv.config;

import java.util.List;

/** The mutable part: the current snapshot, swapped whole by CONFIG SET so readers never see half a change. */
public final class LiveConfig {
    private volatile ServerConfig current;

    public LiveConfig(ServerConfig initial) {
        this.current = initial;
    }

    public ServerConfig get() {
        return current;
    }

    /** Applies CONFIG SET; throws {@link ConfigException} (unknown, immutable, bad value) and changes nothing. */
    public synchronized void set(String name, List<String> args) {
        Directive d = Directives.find(name);
        if (d == null) throw new ConfigException("unknown");
        if (!d.mutable()) throw new ConfigException("can't set immutable config");
        current = current.with(name, args);
    }
}
