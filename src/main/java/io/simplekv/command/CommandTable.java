package io.simplekv.command;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Name → spec, the single source of truth for dispatch, arity, key positions, COMMAND and commandstats. */
public final class CommandTable implements io.simplekv.acl.AclCommandSet {
    private final Map<String, CommandSpec> byName;
    /** Open-addressing index by case-folded name bytes, so a request's name is matched without allocating. */
    private final byte[][] slotNames;
    private final CommandSpec[] slotSpecs;
    /** Top-level commands by name: the order ACL walks them in (Redis walks its hash table's order). */
    private final java.util.List<CommandSpec> sorted;
    private final int aclIds;

    private CommandTable(Map<String, CommandSpec> byName) {
        this.byName = Collections.unmodifiableMap(byName);
        int slots = Integer.highestOneBit(Math.max(16, byName.size() * 4)) * 2;
        slotNames = new byte[slots][];
        slotSpecs = new CommandSpec[slots];
        for (CommandSpec spec : byName.values()) {
            byte[] n = spec.name.getBytes(StandardCharsets.US_ASCII);
            int i = foldedHash(n) & (slots - 1);
            while (slotNames[i] != null) i = (i + 1) & (slots - 1);
            slotNames[i] = n;
            slotSpecs[i] = spec;
        }
        this.sorted = byName.values().stream().sorted(java.util.Comparator.comparing(s -> s.name)).toList();
        int id = 0;
        for (CommandSpec spec : sorted) {
            spec.aclId(id++);
            for (CommandSpec sub : spec.subcommands.values()) sub.aclId(id++);
        }
        this.aclIds = id;
    }

    /** Redis's lookupCommandBySds: "name" or "container|sub", any case; null if missing. */
    @Override
    public CommandSpec aclLookup(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        int bar = lower.indexOf('|');
        if (bar < 0) return byName.get(lower);
        if (lower.indexOf('|', bar + 1) >= 0) return null;
        CommandSpec container = byName.get(lower.substring(0, bar));
        return container == null ? null : container.subcommands.get(lower.substring(bar + 1));
    }

    @Override
    public java.util.List<CommandSpec> aclCommands() {
        return sorted;
    }

    @Override
    public int idCount() {
        return aclIds;
    }

    /** Case-insensitive lookup straight from the request bytes. */
    public CommandSpec lookup(byte[] name) {
        int mask = slotNames.length - 1;
        for (int i = foldedHash(name) & mask; slotNames[i] != null; i = (i + 1) & mask) {
            if (equalsFolded(slotNames[i], name)) return slotSpecs[i];
        }
        return null;
    }

    private static int fold(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    private static int foldedHash(byte[] b) {
        int h = 0;
        for (byte x : b) h = 31 * h + fold(x);
        return h ^ (h >>> 16);
    }

    private static boolean equalsFolded(byte[] lower, byte[] name) {
        if (lower.length != name.length) return false;
        for (int i = 0; i < lower.length; i++) if (lower[i] != fold(name[i])) return false;
        return true;
    }

    public CommandSpec lookup(String name) {
        return byName.get(name.toLowerCase());
    }

    public CommandSpec subcommand(CommandSpec container, byte[] name) {
        if (name.length > 64) return null;
        return container.subcommands.get(lowerAscii(name));
    }

    public Collection<CommandSpec> all() {
        return byName.values();
    }

    public int size() {
        return byName.size();
    }

    static String lowerAscii(byte[] b) {
        char[] c = new char[b.length];
        for (int i = 0; i < b.length; i++) {
            int x = b[i] & 0xff;
            c[i] = (char) (x >= 'A' && x <= 'Z' ? x + 32 : x);
        }
        return new String(c);
    }
    /** Builds the table from the handlers of ours, each joined by name to the catalog's metadata. */
    public static final class Builder {
        private final CommandCatalog catalog;
        private final Map<String, CommandSpec> byName = new LinkedHashMap<>();

        public Builder(CommandCatalog catalog) {
            this.catalog = catalog;
        }

        public Builder add(CommandSpec.Builder spec) {
            CommandMeta meta = catalog.command(spec.name());
            if (meta == null) throw new IllegalStateException("Redis 7.0.15 has no command " + spec.name());
            CommandSpec s = spec.build(meta);
            if (byName.put(s.name, s) != null) throw new IllegalStateException("duplicate command " + s.name);
            return this;
        }

        public CommandTable build() {
            return new CommandTable(byName);
        }
    }
}
