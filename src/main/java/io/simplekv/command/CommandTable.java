package io.simplekv.command;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Name → spec, the single source of truth for dispatch, arity, key positions, COMMAND and commandstats. */
public final class CommandTable {
    private final Map<String, CommandSpec> byName;

    private CommandTable(Map<String, CommandSpec> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Case-insensitive lookup straight from the request bytes. */
    public CommandSpec lookup(byte[] name) {
        if (name.length > 32) return null;
        return byName.get(lowerAscii(name));
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

    public static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    public static final class Builder {
        private final Map<String, CommandSpec> byName = new LinkedHashMap<>();

        public Builder add(CommandSpec.Builder spec) {
            CommandSpec s = spec.build();
            if (byName.put(s.name, s) != null) throw new IllegalStateException("duplicate command " + s.name);
            return this;
        }

        public CommandTable build() {
            return new CommandTable(byName);
        }
    }
}
