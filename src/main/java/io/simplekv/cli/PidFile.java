package io.simplekv.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code pidfile} directive: the process id written once the server listens and removed when it stops cleanly,
 * as Redis's createPidFile/removePidFile (a service manager or script finds the process by it). Failing to write it
 * is logged, not fatal, as in Redis.
 */
final class PidFile {
    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    /** Writes the file; null when no pidfile is configured or it could not be written. */
    static PidFile create(String configured, org.slf4j.Logger log) {
        if (configured == null || configured.isEmpty()) return null;
        Path path = Path.of(configured);
        try {
            Files.writeString(path, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            return new PidFile(path);
        } catch (IOException e) {
            log.warn("Failed to write PID file: {}", e.getMessage());
            return null;
        }
    }

    void remove() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Redis ignores it too: the process is ending either way.
        }
    }
}
