package io.simplekv.command;

import java.util.Set;

/** A key a request names: its argument index and what the command does to it (empty where Redis gives no flags). */
public record KeyRef(int pos, Set<KeySpec.Flag> flags) {
    static final Set<KeySpec.Flag> NO_FLAGS = Set.of();
}
