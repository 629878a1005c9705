package io.simplekv.keyspace;

/** One stream entry: its ID and its fields and values, alternating (field, value, field, value...). */
public record StreamEntry(StreamId id, byte[][] fields) {}
