package io.simplekv.command;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One row of the command table: a handler of ours joined to Redis's metadata for that name (CommandMeta), which
 * says the arity, flags, key positions and docs. Arity follows Redis: positive means exactly that many arguments
 * (name included), negative means at least. Commands without movable keys have their keys at first, first+step ...
 * up to last (negative: from the end), the legacy range of COMMAND INFO; the others find them per request.
 */
public final class CommandSpec implements io.simplekv.acl.AclCommand {
    public final String name;
    /** For subcommands, "container|sub", the name Redis puts in errors and INFO. */
    public final String fullName;
    public final int arity;
    public final Set<CommandFlag> flags;
    public final Set<ExecutionTrait> traits;
    private final long flagBits, traitBits;
    public final int firstKey;
    public final int lastKey;
    public final int keyStep;
    public final CommandHandler handler;
    /** By lower-case name, in name order. */
    public final Map<String, CommandSpec> subcommands;
    public final CommandMeta meta;
    public final CommandStats stats = new CommandStats();
    private final boolean lockAll;
    private final boolean movableKeys;
    private final CommandKeys keys;
    /** Whether a request also reads keys it does not name (SORT's BY/GET patterns): then it locks all. */
    private final Predicate<byte[][]> readsUnnamedKeys;
    /** Bit i: Redis's ACL category i (AclCategory's order is acl.c's). */
    private final long aclCategoryBits;
    private final java.util.List<CommandSpec> subcommandList;
    /** Given once by the table that holds this spec, before the table is published. */
    private int aclId = -1;

    private CommandSpec(Builder b, CommandMeta meta, Map<String, CommandSpec> subs) {
        this.name = b.name;
        this.fullName = meta.name();
        this.arity = meta.arity();
        this.flags = Collections.unmodifiableSet(meta.flags().isEmpty()
                ? EnumSet.noneOf(CommandFlag.class) : EnumSet.copyOf(meta.flags()));
        this.traits = Collections.unmodifiableSet(b.traits.clone());
        this.flagBits = bits(flags);
        this.traitBits = bits(traits);
        this.firstKey = meta.firstKey();
        this.lastKey = meta.lastKey();
        this.keyStep = meta.keyStep();
        this.handler = b.handler;
        this.subcommands = Collections.unmodifiableMap(subs);
        this.meta = meta;
        // A command that may expire any key it meets (SCAN, RANDOMKEY) must hold every shard it could delete from.
        this.lockAll = b.traits.contains(ExecutionTrait.LOCK_ALL) || b.traits.contains(ExecutionTrait.TOUCHES_ARBITRARY_KEYS);
        this.movableKeys = meta.has(CommandFlag.MOVABLEKEYS);
        this.keys = new CommandKeys(meta.keySpecs(), meta.getKeys());
        this.readsUnnamedKeys = b.readsUnnamedKeys;
        long bits = 0;
        for (AclCategory c : meta.aclCategories()) bits |= 1L << c.ordinal();
        this.aclCategoryBits = bits;
        this.subcommandList = java.util.List.copyOf(subs.values());
    }

    @Override
    public int aclId() {
        return aclId;
    }

    void aclId(int id) {
        this.aclId = id;
    }

    @Override
    public String fullName() {
        return fullName;
    }

    @Override
    public long aclCategoryBits() {
        return aclCategoryBits;
    }

    @Override
    public boolean isSubcommand() {
        return fullName.indexOf('|') >= 0;
    }

    @Override
    public java.util.List<CommandSpec> aclSubcommands() {
        return subcommandList;
    }

    public boolean hasMovableKeys() {
        return movableKeys;
    }

    /** Whether this request must hold every shard lock: FLUSHALL and the like, or a SORT BY/GET pattern. */
    public boolean needsEveryLock(byte[][] args) {
        return lockAll || (readsUnnamedKeys != null && readsUnnamedKeys.test(args));
    }

    /** The positions of the keys this request names (empty for keyless commands). */
    public int[] keyPositions(byte[][] args) {
        if (movableKeys) return keys.positions(args);
        if (firstKey <= 0) return new int[0];
        int last = Math.min(lastKeyIndex(args.length), args.length - 1);
        if (last < firstKey) return new int[0];
        int[] p = new int[(last - firstKey) / keyStep + 1];
        for (int i = 0; i < p.length; i++) p[i] = firstKey + i * keyStep;
        return p;
    }

    /** Redis's key finding with flags, for COMMAND GETKEYS. */
    CommandKeys keys() {
        return keys;
    }

    public boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    /**
     * Redis 7.0's commands flagged may_replicate, which COMMAND INFO does not show (so the catalog lacks the flag):
     * they may change data without being writes (a script, a publish). FUNCTION's changes are writes already.
     */
    private static final java.util.Set<String> MAY_REPLICATE = java.util.Set.of("eval", "evalsha", "fcall", "pfcount",
            "publish", "spublish");

    /** A write, or a command Redis flags may_replicate: what CLIENT PAUSE WRITE holds and a replica may not send. */
    public boolean mayReplicate() {
        return has(CommandFlag.WRITE) || MAY_REPLICATE.contains(fullName);
    }

    public boolean has(CommandFlag flag) {
        return (flagBits & 1L << flag.ordinal()) != 0;
    }

    public boolean has(ExecutionTrait trait) {
        return (traitBits & 1L << trait.ordinal()) != 0;
    }

    /**
     * The set as a bit per constant: the dispatch asks several flags of every command, and an unmodifiable
     * EnumSet's contains is two calls through interfaces each time (5% of a pipelined ZADD's CPU).
     */
    private static <E extends Enum<E>> long bits(Set<E> set) {
        long bits = 0;
        for (E e : set) {
            if (e.ordinal() >= Long.SIZE) throw new IllegalStateException(e + " does not fit a 64-bit set");
            bits |= 1L << e.ordinal();
        }
        return bits;
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

    /** A command of ours: its name and handler (null for a container, which only dispatches to subcommands). */
    public static Builder command(String name, CommandHandler handler) {
        return new Builder(name, handler);
    }

    public static final class Builder {
        private final String name;
        private final CommandHandler handler;
        private final EnumSet<ExecutionTrait> traits = EnumSet.noneOf(ExecutionTrait.class);
        private final Map<String, Builder> subs = new LinkedHashMap<>();
        private Predicate<byte[][]> readsUnnamedKeys;

        private Builder(String name, CommandHandler handler) {
            this.name = name;
            this.handler = handler;
        }

        public Builder traits(ExecutionTrait... given) {
            traits.addAll(java.util.List.of(given));
            return this;
        }

        /** For commands that read keys their arguments don't name (SORT ... BY pattern): such requests lock all. */
        public Builder readsUnnamedKeys(Predicate<byte[][]> when) {
            this.readsUnnamedKeys = when;
            return this;
        }

        public Builder sub(Builder sub) {
            if (subs.put(sub.name, sub) != null) throw new IllegalStateException("duplicate subcommand " + sub.name);
            return this;
        }

        String name() {
            return name;
        }

        /** Joins this command (and its subcommands) to Redis's metadata; a name Redis lacks fails the build. */
        CommandSpec build(CommandMeta meta) {
            Map<String, CommandSpec> built = new TreeMap<>();
            for (Builder s : subs.values()) {
                CommandMeta subMeta = meta.subcommands().get(s.name);
                if (subMeta == null) {
                    throw new IllegalStateException("Redis 7.0.15 has no command " + meta.name() + "|" + s.name);
                }
                built.put(s.name, s.build(subMeta));
            }
            return new CommandSpec(this, meta, built);
        }
    }
}
