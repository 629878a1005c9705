package io.simplekv.keyspace;

/**
 * When a small collection stops being one packed record: Redis's *-max-listpack-entries / -value directives.
 * Past either limit it becomes a bucketed table and, as in Redis, never converts back.
 */
public record CollectionLimits(int maxPackedEntries, int maxPackedValue) {
    public static final CollectionLimits REDIS_DEFAULTS = new CollectionLimits(128, 64);
}
