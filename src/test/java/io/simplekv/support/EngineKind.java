package io.simplekv.support;

import io.simplekv.storage.ChronicleEngine;
import io.simplekv.storage.MemoryEngine;
import io.simplekv.storage.StorageEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Every storage engine the shared suites run against; a new engine adds a constant here. */
public enum EngineKind {
    MEMORY,
    // Small maps make each test's table files quick to create, and suites that write many keys also exercise growth.
    CHRONICLE;

    public StorageEngine open(Path dir) {
        return switch (this) {
            case MEMORY -> new MemoryEngine();
            case CHRONICLE -> {
                try {
                    yield ChronicleEngine.open(dir, new ChronicleEngine.Sizing(4096, 16, 32, 4096, 256));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
