package io.simplekv.acl;

import java.util.List;

/**
 * What ACL rules need to know of one command or subcommand: its bit in a selector's command bitmap, its full name
 * ("config|get") and its categories. The command table implements it, so this package needs nothing of the
 * command machinery.
 */
public interface AclCommand {
    /** The command's bit in a selector's bitmap: unique across commands and subcommands, below {@link AclCommandSet#idCount()}. */
    int aclId();

    String fullName();

    /** Bit i set: the command is in category i of {@link AclCommandSet#CATEGORIES}. */
    long aclCategoryBits();

    /** Whether this is a subcommand (a first argument of it cannot be allowed on its own). */
    boolean isSubcommand();

    /** Its subcommands; empty for most. */
    List<? extends AclCommand> aclSubcommands();
}
