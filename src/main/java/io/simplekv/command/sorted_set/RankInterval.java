package io.simplekv.command.sorted_set;

import io.simplekv.keyspace.ZSetTable;

/** A score or member interval of a sorted set, resolved to ascending ranks [first, end). */
interface RankInterval {
    long first(ZSetTable z);

    /** Just past the last rank inside the interval; never below {@link #first}. */
    long end(ZSetTable z);
}
