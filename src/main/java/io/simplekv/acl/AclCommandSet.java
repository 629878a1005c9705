package io.simplekv.acl;

import java.util.List;

/** The commands ACL rules are made of (Redis's orig_commands): lookup by name and the walk over all of them. */
public interface AclCommandSet {
    /** Redis 7.0's ACL categories, in acl.c's order (the order ACL CAT lists them and ACL LIST tries them). */
    List<String> CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
            "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous",
            "connection", "transaction", "scripting");

    /** The command or subcommand a rule names ("get", "config|get"), any case; null if there is none. */
    AclCommand aclLookup(String name);

    /** The top-level commands, in a stable order (each followed by its subcommands in walks). */
    List<? extends AclCommand> aclCommands();

    /** One more than the largest {@link AclCommand#aclId()}. */
    int idCount();

    /** A category's bit, or -1 when the name is no category (ACL CAT's and +@'s lookup, case-insensitive). */
    static int categoryBit(String name) {
        for (int i = 0; i < CATEGORIES.size(); i++) if (CATEGORIES.get(i).equalsIgnoreCase(name)) return i;
        return -1;
    }
}
