package io.simplekv.command;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One row of the command table: everything the service, COMMAND INFO/DOCS and the arity check need.
 * Arity follows Redis: positive means exactly that many arguments (name included), negative means at least.
 * Key positions (first, last, step) name the keys whose shards are locked; last -1 means "to the end".
 */
public final class CommandSpec {
    public final String name;
    /** For subcommands, "container|sub", the name Redis puts in errors and INFO. */
    public final String fullName;
    public final int arity;
    public final Set<CommandFlag> flags;
    public final int firstKey;
    public final int lastKey;
    public final int keyStep;
    public final CommandHandler handler;
    public final Map<String, CommandSpec> subcommands;
    public final CommandDocs docs;
    public final CommandStats stats = new CommandStats();
    private final boolean lockAll;
    /** For commands whose keys depend on their arguments (SORT ... STORE), else null: then first/last/step say. */
    private final KeyFinder keyFinder;

    /** Redis's getkeys_proc: the argument positions holding keys. */
    public interface KeyFinder {
        int[] find(byte[][] args);

        /** Whether this request also reads keys it does not name (SORT's BY/GET patterns): then it locks all. */
        default boolean readsOtherKeys(byte[][] args) {
            return false;
        }
    }

    private CommandSpec(Builder b, String fullName, Map<String, CommandSpec> subs) {
        this.name = b.name;
        this.fullName = fullName;
        this.arity = b.arity;
        this.flags = Collections.unmodifiableSet(b.flags);
        this.firstKey = b.firstKey;
        this.lastKey = b.lastKey;
        this.keyStep = b.keyStep;
        this.handler = b.handler;
        this.subcommands = Collections.unmodifiableMap(subs);
        this.docs = b.docs;
        this.lockAll = b.flags.contains(CommandFlag.LOCK_ALL);
        this.keyFinder = b.keyFinder;
    }

    public boolean hasMovableKeys() {
        return keyFinder != null;
    }

    /** Whether this request must hold every shard lock: FLUSHALL and the like, or a SORT BY/GET pattern. */
    public boolean needsEveryLock(byte[][] args) {
        return lockAll || (keyFinder != null && keyFinder.readsOtherKeys(args));
    }

    /** The positions of the keys this request names (empty for keyless commands). */
    public int[] keyPositions(byte[][] args) {
        if (keyFinder != null) return keyFinder.find(args);
        if (firstKey <= 0) return new int[0];
        int last = lastKeyIndex(args.length);
        if (last < firstKey) return new int[0];
        int[] p = new int[(last - firstKey) / keyStep + 1];
        for (int i = 0; i < p.length; i++) p[i] = firstKey + i * keyStep;
        return p;
    }

    public boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    public boolean has(CommandFlag flag) {
        return flags.contains(flag);
    }

    public boolean locksEverything() {
        return lockAll;
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    /** Index of the last key for a request of argc arguments. */
    public int lastKeyIndex(int argc) {
        return lastKey >= 0 ? lastKey : argc + lastKey;
    }

    public static Builder command(String name, int arity, String flags, CommandHandler handler) {
        return new Builder(name, arity, flags, handler);
    }

    public static final class Builder {
        private final String name;
        private final int arity;
        private final EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        private final CommandHandler handler;
        private int firstKey;
        private int lastKey;
        private int keyStep;
        private final Map<String, Builder> subs = new LinkedHashMap<>();
        private CommandDocs docs = CommandDocs.NONE;
        private KeyFinder keyFinder;

        private Builder(String name, int arity, String flagList, CommandHandler handler) {
            this.name = name;
            this.arity = arity;
            this.handler = handler;
            for (String f : flagList.trim().split("\\s+")) {
                if (!f.isEmpty()) flags.add(CommandFlag.valueOf(f.toUpperCase().replace('-', '_')));
            }
        }

        public Builder keys(int first, int last, int step) {
            this.firstKey = first;
            this.lastKey = last;
            this.keyStep = step;
            return this;
        }

        /** Keys found per request; first/last/step stay what COMMAND INFO reports, as Redis's legacy key spec. */
        public Builder movableKeys(KeyFinder finder) {
            this.keyFinder = finder;
            return this;
        }

        public Builder docs(String group, String since, String summary, String syntax) {
            this.docs = new CommandDocs(group, since, summary, syntax);
            return this;
        }

        public Builder sub(Builder sub) {
            subs.put(sub.name, sub);
            return this;
        }

        CommandSpec build() {
            return build(name);
        }

        private CommandSpec build(String fullName) {
            Map<String, CommandSpec> built = new LinkedHashMap<>();
            for (Builder s : subs.values()) {
                if (s.docs == CommandDocs.NONE) s.docs = new CommandDocs(docs.group(), docs.since(), "", "");
                built.put(s.name, s.build(fullName + "|" + s.name));
            }
            return new CommandSpec(this, fullName, built);
        }
    }
}
