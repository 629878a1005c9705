package io.simplekv.support;

import io.simplekv.config.ServerConfig;
import io.simplekv.command.ServerContext;
import io.simplekv.command.ServerControl;
import io.simplekv.server.CommandGroups;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A server context (no sockets, no threads) over one engine, with config overrides, and wires into it. */
public final class ServerFixture implements AutoCloseable {
    private final ServerContext context;

    public ServerFixture(EngineKind engine, Path dir, Map<String, String> overrides) {
        this(engine.open(dir), dir, overrides);
    }

    /** Over an engine made by the test itself (e.g. one that fails on cue). */
    public ServerFixture(io.simplekv.storage.StorageEngine engine, Path dir, Map<String, String> overrides) {
        ServerConfig config = ServerConfig.defaults().with("dir", List.of(dir.toString()));
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String v = e.getValue();
            config = config.with(e.getKey(), v.isEmpty() ? List.of() : List.of(v.split(" ")));
        }
        this.context = new ServerContext(config, engine, ServerControl.detached(config.port), CommandGroups.table());
    }

    public ServerFixture(EngineKind engine, Path dir) {
        this(engine, dir, Map.of());
    }

    public ServerContext context() {
        return context;
    }

    public Wire connect() {
        return new Wire(context);
    }

    @Override
    public void close() {
        context.persistence().stop();
        context.scripts().close();
        context.keyspace().close();
    }
}
