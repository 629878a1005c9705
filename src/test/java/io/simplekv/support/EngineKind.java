package io.simplekv.support;

import io.simplekv.storage.MemoryEngine;
import io.simplekv.storage.StorageEngine;

import java.nio.file.Path;

/** Every storage engine the shared suites run against; a new engine adds a constant here. */
public enum EngineKind {
    MEMORY;

    public StorageEngine open(Path dir) {
        return switch (this) {
            case MEMORY -> new MemoryEngine();
        };
    }
}
