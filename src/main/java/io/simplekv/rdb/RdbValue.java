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
}
