package io.simplekv.config;

import java.util.List;

/** The mutable part: the current snapshot, swapped whole by CONFIG SET so readers never see half a change. */
public final class LiveConfig {
    private volatile ServerConfig current;
    /** Who must act when a directive changes (requirepass is the default user's password), by directive name. */
    private final List<java.util.Map.Entry<String, java.util.function.Consumer<ServerConfig>>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

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
        for (var l : listeners) if (l.getKey().equals(d.name())) l.getValue().accept(current);
    }

    /** Calls {@code then} with the new config after each change of the directive {@code name}. */
    public void onChange(String name, java.util.function.Consumer<ServerConfig> then) {
        listeners.add(java.util.Map.entry(name, then));
    }
}
