package io.simplekv.command.generic;

import io.simplekv.command.stream.GroupProgress;
import io.simplekv.keyspace.PendingList;
import io.simplekv.keyspace.StreamEntry;
import io.simplekv.keyspace.StreamGroups;
import io.simplekv.keyspace.StreamId;
import io.simplekv.keyspace.StreamTable;
import io.simplekv.rdb.RdbValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A stream, its groups, pending entries and consumers, to and from the {@link RdbValue} DUMP/RESTORE carry. */
final class StreamValues {
    private StreamValues() {}

    static RdbValue.StreamValue of(StreamTable s) {
        List<RdbValue.StreamItem> entries = new ArrayList<>();
        s.walk(StreamId.MIN, StreamId.MAX, false, e -> {
            entries.add(new RdbValue.StreamItem(id(e.id()), Arrays.asList(e.fields())));
            return true;
        });
        List<RdbValue.StreamGroup> groups = new ArrayList<>();
        for (StreamGroups.Group g : s.groups().all()) {
            List<RdbValue.Nack> pel = new ArrayList<>();
            g.pel.walk(StreamId.MIN, StreamId.MAX, n -> pel.add(new RdbValue.Nack(id(n.id()), n.deliveryTime(), n.deliveryCount())));
            List<RdbValue.StreamConsumer> consumers = new ArrayList<>();
            for (StreamGroups.Consumer c : g.consumers()) {
                List<RdbValue.Id> own = new ArrayList<>();
                for (PendingList.Nack n : g.pendingOf(c, StreamId.MIN, StreamId.MAX, 0)) own.add(id(n.id()));
                consumers.add(new RdbValue.StreamConsumer(c.name, c.seenTime, own));
            }
            groups.add(new RdbValue.StreamGroup(g.name, id(g.lastId), g.entriesRead, pel, consumers));
        }
        return new RdbValue.StreamValue(entries, id(s.lastId()), id(s.firstId()), id(s.maxDeletedId()),
                s.entriesAdded(), groups);
    }

    static void store(StreamTable s, RdbValue.StreamValue v) {
        for (RdbValue.StreamItem item : v.entries()) {
            byte[][] fv = item.fieldsAndValues().toArray(new byte[0][]);
            s.append(id(item.id()), fv, 0, fv.length);
        }
        s.setLastId(id(v.lastId()));
        s.setMaxDeletedId(id(v.maxDeletedId()));
        // A payload from before 7.0 has no counters: Redis takes the length, and estimates each group's.
        s.setEntriesAdded(v.entriesAdded() < 0 ? v.entries().size() : v.entriesAdded());
        for (RdbValue.StreamGroup rg : v.groups()) {
            StreamId last = id(rg.lastId());
            long read = rg.entriesRead() < 0 && v.entriesAdded() < 0
                    ? GroupProgress.estimateDistance(s, last) : rg.entriesRead();
            StreamGroups.Group g = s.groups().create(rg.name(), last, read);
            Map<RdbValue.Id, StreamGroups.Consumer> owners = new HashMap<>();
            for (RdbValue.StreamConsumer rc : rg.consumers()) {
                StreamGroups.Consumer c = g.createConsumer(rc.name(), rc.seenTime());
                for (RdbValue.Id p : rc.pending()) owners.put(p, c);
            }
            for (RdbValue.Nack n : rg.pending()) g.assign(id(n.id()), owners.get(n.id()), n.deliveryTime(), n.deliveryCount());
        }
        if (!v.groups().isEmpty()) s.groupsChanged();
        s.commit();
    }

    private static RdbValue.Id id(StreamId id) {
        return new RdbValue.Id(id.ms(), id.seq());
    }

    private static StreamId id(RdbValue.Id id) {
        return new StreamId(id.ms(), id.seq());
    }
}
