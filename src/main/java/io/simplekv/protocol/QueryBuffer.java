package io.simplekv.protocol;

/**
 * One client's query buffer as Redis accounts for it: what CLIENT LIST shows as qbuf and qbuf-free, grown as
 * readQueryFromClient grows its sds and shrunk as clientsCronResizeQueryBuffer shrinks it. simplekv reads into
 * Netty's pooled buffers, which no client owns, so this follows Redis's arithmetic over the bytes the decoder holds
 * (unparsed input, and a big argument while it arrives) rather than any real allocation. The decoder's event loop
 * writes it, the cron and other clients' CLIENT LIST read it.
 */
public final class QueryBuffer {
    /** Redis's PROTO_IOBUF_LEN, PROTO_MBULK_BIG_ARG, PROTO_RESIZE_THRESHOLD and SDS_MAX_PREALLOC. */
    static final long IOBUF_LEN = 16 * 1024, BIG_ARG = 32 * 1024, RESIZE_THRESHOLD = 32 * 1024, MAX_PREALLOC = 1 << 20;

    private long alloc;
    private long length;
    private long peak;
    private long argv;
    /** The length of the big argument being read, or -1. */
    private long bigArg = -1;

    /** readQueryFromClient: {@code n} bytes arrive on top of the {@link #length} held. */
    synchronized void read(long n) {
        long readlen = bigArg >= 0 ? Math.max(bigArg + 2 - length, 1) : IOBUF_LEN;
        if (alloc - length < readlen) {
            long needed = length + readlen;
            boolean greedy = bigArg < 0 && alloc >= IOBUF_LEN;
            alloc = !greedy ? needed : needed < MAX_PREALLOC ? needed * 2 : needed + MAX_PREALLOC;
        }
        length += n;
        if (length > alloc) alloc = length; // Netty may read more at once than Redis's readlen
        peak = Math.max(peak, length);
    }

    /** A bulk header announced a big argument: Redis makes room for all of it at once, non-greedily. */
    synchronized void bigArgument(long bulkLength) {
        bigArg = bulkLength;
        alloc = Math.max(alloc, bulkLength + 2);
    }

    /**
     * The decoder is done with what it could parse: {@code held} bytes remain (unparsed input, plus the part of a
     * big argument read so far), and {@code argvHeld} in the arguments of an unfinished request. A big argument once complete leaves an empty buffer of its size behind, as Redis's
     * querybuf does after it hands the sds over as the argument.
     */
    synchronized void parsed(long held, boolean bigArgumentPending, long argvHeld) {
        length = held;
        argv = argvHeld;
        if (!bigArgumentPending) bigArg = -1;
    }

    /**
     * The arguments of a request still arriving, with a pointer each, as Redis's argv_len_sum counts those it has
     * moved out of its query buffer: a client that stops half-way through a request holds them (tot-mem).
     */
    public synchronized long pendingArguments() {
        return argv;
    }

    /** clientsCronResizeQueryBuffer. */
    public synchronized void cron(long idleSeconds) {
        if (alloc - length > 4 * 1024) {
            if (idleSeconds > 2) {
                alloc = length;
            } else if (alloc > RESIZE_THRESHOLD && alloc / 2 > peak) {
                long resize = Math.max(length, peak);
                if (bigArg >= 0) resize = Math.max(resize, bigArg);
                alloc = resize;
            }
        }
        peak = Math.max(length, bigArg);
    }

    /** CLIENT LIST's qbuf: the bytes held, or {@code executing} (the running request's size) if larger. */
    public synchronized long used(long executing) {
        return Math.max(length, executing);
    }

    /** CLIENT LIST's qbuf-free. */
    public synchronized long free(long executing) {
        return Math.max(0, alloc - used(executing));
    }
}
