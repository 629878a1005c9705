package io.simplekv.persistence;

import io.simplekv.keyspace.Keyspace;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How the memory engine's RDB file is written: the format belongs to the commands ({@code command.server.RdbSnapshot}),
 * when and in which order files replace each other belongs here.
 */
public interface SnapshotFile {
    /**
     * Writes {@code keyspace} (the live one while every shard is held, or a frozen copy) to a temporary file named
     * {@code tempName} beside the target, forced to disk.
     */
    Path write(Keyspace keyspace, String tempName) throws IOException;

    /** Renames a written temporary file over the target. */
    void install(Path temp) throws IOException;
}
