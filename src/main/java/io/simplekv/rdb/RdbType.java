package io.simplekv.rdb;

/** Redis 7.0's RDB object type bytes (rdb.h), the first byte of a DUMP payload. */
public final class RdbType {
    public static final int STRING = 0;
    public static final int LIST = 1;
    public static final int SET = 2;
    public static final int ZSET = 3;
    public static final int HASH = 4;
    public static final int ZSET_2 = 5;
    public static final int HASH_ZIPMAP = 9;
    public static final int LIST_ZIPLIST = 10;
    public static final int SET_INTSET = 11;
    public static final int ZSET_ZIPLIST = 12;
    public static final int HASH_ZIPLIST = 13;
    public static final int LIST_QUICKLIST = 14;
    public static final int STREAM_LISTPACKS = 15;
    public static final int HASH_LISTPACK = 16;
    public static final int ZSET_LISTPACK = 17;
    public static final int LIST_QUICKLIST_2 = 18;
    public static final int STREAM_LISTPACKS_2 = 19;

    /** A quicklist 2 node: one element stored as it is, or a listpack of several. */
    static final int QUICKLIST_NODE_PLAIN = 1;
    static final int QUICKLIST_NODE_PACKED = 2;

    private RdbType() {}
}
