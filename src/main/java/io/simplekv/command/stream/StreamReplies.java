package io.simplekv.command.stream;

import io.simplekv.keyspace.StreamEntry;
import io.simplekv.protocol.ReplySink;

import java.util.List;

/** Stream entries as Redis replies with them: each an array of its ID and an array of fields and values. */
final class StreamReplies {
    private StreamReplies() {}

    /** An entry; one whose fields are null (a pending ID whose entry was deleted) answers [id, nil array]. */
    static void entry(ReplySink out, StreamEntry e) {
        out.array(2);
        out.bulk(e.id().bytes());
        if (e.fields() == null) {
            out.nullArray();
            return;
        }
        out.array(e.fields().length);
        for (byte[] f : e.fields()) out.bulk(f);
    }

    static void entries(ReplySink out, List<StreamEntry> entries) {
        out.array(entries.size());
        for (StreamEntry e : entries) entry(out, e);
    }
}
