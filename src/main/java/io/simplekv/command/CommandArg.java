package io.simplekv.command;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One node of a command's argument tree as COMMAND DOCS reports it. The optional fields are null (keySpecIndex
 * -1) where Redis leaves them out of the reply; children are the arguments of a oneof or block.
 */
public record CommandArg(String name, String type, int keySpecIndex, String token, String summary, String since,
                         String deprecatedSince, Set<Flag> flags, List<CommandArg> children) {
    public CommandArg {
        flags = Set.copyOf(flags);
        children = List.copyOf(children);
    }

    /** Argument flags, in COMMAND DOCS order. */
    public enum Flag {
        OPTIONAL, MULTIPLE, MULTIPLE_TOKEN;

        public final String redisName = name().toLowerCase(Locale.ROOT);

        static Flag of(String redisName) {
            return valueOf(redisName.toUpperCase(Locale.ROOT));
        }
    }

    /** Whether Redis lists the children: it does for every oneof and block, even an empty one. */
    public boolean hasChildren() {
        return type.equals("oneof") || type.equals("block");
    }
}
