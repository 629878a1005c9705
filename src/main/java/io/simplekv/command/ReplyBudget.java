package io.simplekv.command;

import io.simplekv.protocol.RedisError;

/**
 * How large a reply a command may set out to build. SRANDMEMBER, HRANDFIELD and ZRANDMEMBER with a negative count
 * owe |count| elements whatever the collection's size: Redis writes them until the client's output buffer passes
 * its hard limit (then it drops the client), and with the default {@code normal 0 0 0} until memory runs out.
 * Here such a reply is refused before any of it is built when even its smallest encoding (an empty bulk, 6 bytes,
 * per element) would pass the limit: the normal class's hard limit when set, else an eighth of the heap, so one
 * request can neither exhaust memory nor hold the event loop for long.
 */
public final class ReplyBudget {
    private ReplyBudget() {}

    /** "$0\r\n\r\n": no bulk is smaller. */
    private static final long MIN_BULK_BYTES = 6;
    /** Without a configured hard limit, a reply may use this fraction of the heap. */
    private static final long HEAP_SHARE = 8;

    /** Throws the error reply unless a reply of {@code bulks} bulk strings may be built for this client. */
    public static void check(Session client, long bulks) {
        long hard = client.server().config().normalOutputLimit.hard();
        long budget = hard > 0 ? hard : Runtime.getRuntime().maxMemory() / HEAP_SHARE;
        // An array's length is an int here too.
        if (bulks > Math.min(budget / MIN_BULK_BYTES, Integer.MAX_VALUE)) {
            throw RedisError.err("reply of " + bulks + " elements would need at least " + bulks * MIN_BULK_BYTES
                    + " bytes, past the output buffer limit of " + budget + " bytes ("
                    + (hard > 0 ? "client-output-buffer-limit normal" : "an eighth of the heap") + ")");
        }
    }
}
