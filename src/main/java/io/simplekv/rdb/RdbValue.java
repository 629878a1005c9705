package io.simplekv.rdb;

import java.util.List;

/** A key's value as a DUMP payload carries it, whatever encoding the payload used. */
public sealed interface RdbValue {
    record Str(byte[] value) implements RdbValue {}

    record ListValue(List<byte[]> elements) implements RdbValue {}

    record SetValue(List<byte[]> members) implements RdbValue {}

    record ZSetValue(List<byte[]> members, List<Double> scores) implements RdbValue {}

    /** Fields and values in pairs. */
    record HashValue(List<byte[]> fields, List<byte[]> values) implements RdbValue {}

    /** A stream entry ID. */
    record Id(long ms, long seq) implements Comparable<Id> {
        @Override
        public int compareTo(Id o) {
            int c = Long.compareUnsigned(ms, o.ms);
            return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
        }
    }

    /** An entry: its ID, then field, value, field, value... */
    record StreamItem(Id id, List<byte[]> fieldsAndValues) {}

    record Nack(Id id, long deliveryTime, long deliveryCount) {}

    record StreamConsumer(byte[] name, long seenTime, List<Id> pending) {}

    /** A consumer group; entriesRead is -1 where Redis's counter is unknown (SCG_INVALID_ENTRIES_READ). */
    record StreamGroup(byte[] name, Id lastId, long entriesRead, List<Nack> pending, List<StreamConsumer> consumers) {}

    /**
     * A stream with its metadata; entriesAdded is -1 when the payload (RDB_TYPE_STREAM_LISTPACKS, before 7.0) did
     * not carry it, and so are the groups' counters.
     */
    record StreamValue(List<StreamItem> entries, Id lastId, Id firstId, Id maxDeletedId, long entriesAdded,
            List<StreamGroup> groups) implements RdbValue {}
}
