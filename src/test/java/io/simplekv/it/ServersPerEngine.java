package io.simplekv.it;

import io.simplekv.config.ServerConfig;
import io.simplekv.server.SimpleKvServer;
import io.simplekv.support.EngineKind;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One server per storage engine in this JVM, each on a free loopback port under its own data dir, for a test class. */
final class ServersPerEngine implements AutoCloseable {
    private final Map<EngineKind, SimpleKvServer> servers = new EnumMap<>(EngineKind.class);
    private final Map<EngineKind, Integer> ports = new EnumMap<>(EngineKind.class);

    ServersPerEngine(Path dir) throws Exception {
        for (EngineKind engine : EngineKind.values()) {
            Path data = dir.resolve(engine.name());
            ServerConfig config = ServerConfig.defaults().with("port", List.of("0")).with("dir", List.of(data.toString()));
            SimpleKvServer server = new SimpleKvServer(config, engine.open(data));
            servers.put(engine, server);
            ports.put(engine, server.start());
        }
    }

    int port(EngineKind engine) {
        return ports.get(engine);
    }

    @Override
    public void close() {
        servers.values().forEach(SimpleKvServer::close);
    }
}
