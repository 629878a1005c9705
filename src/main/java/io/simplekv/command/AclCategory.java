package io.simplekv.command;

import java.util.Locale;

/** Redis 7.0's ACL categories, in the order of its category table (acl.c), which is the order COMMAND INFO lists. */
public enum AclCategory {
    KEYSPACE, READ, WRITE, SET, SORTEDSET, LIST, HASH, STRING, BITMAP, HYPERLOGLOG, GEO, STREAM, PUBSUB, ADMIN, FAST,
    SLOW, BLOCKING, DANGEROUS, CONNECTION, TRANSACTION, SCRIPTING;

    /** As COMMAND INFO shows it: "@sortedset". */
    public final String redisName = "@" + name().toLowerCase(Locale.ROOT);

    /** The category a name without "@" names, any case, as ACL and COMMAND LIST FILTERBY ACLCAT take it; or null. */
    static AclCategory byName(String name) {
        for (AclCategory c : values()) if (c.name().equalsIgnoreCase(name)) return c;
        return null;
    }

    static AclCategory of(String redisName) {
        return valueOf(redisName.substring(1).toUpperCase(Locale.ROOT));
    }
}
