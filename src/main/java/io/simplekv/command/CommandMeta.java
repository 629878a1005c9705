package io.simplekv.command;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything Redis 7.0.15 tells about one command or subcommand (COMMAND INFO and COMMAND DOCS), as recorded in
 * the catalog. name is the full name ("config|get"); first/last/step are the legacy key range COMMAND INFO
 * reports (0 0 0 when none); getKeys is the command's getkeys procedure or null; subcommands are by lower-case
 * name, in name order.
 */
public record CommandMeta(String name, int arity, Set<CommandFlag> flags, Set<AclCategory> aclCategories,
                          int firstKey, int lastKey, int keyStep, List<String> tips, List<KeySpec> keySpecs,
                          GetKeysProcedure getKeys, CommandDocs docs, Map<String, CommandMeta> subcommands) {
    public CommandMeta {
        flags = Set.copyOf(flags);
        aclCategories = Set.copyOf(aclCategories);
        tips = List.copyOf(tips);
        keySpecs = List.copyOf(keySpecs);
        subcommands = Collections.unmodifiableMap(new TreeMap<>(subcommands));
    }

    public boolean has(CommandFlag flag) {
        return flags.contains(flag);
    }

    /** The name after the container's ("get" for "config|get"). */
    public String shortName() {
        return name.substring(name.indexOf('|') + 1);
    }
}
