package io.simplekv.command;

import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata of every Redis 7.0.15 command, read from redis-commands.json (recorded from a live Redis by
 * scripts/tools/record-redis-commands.sh): the one source of arity, flags, key specs, ACL categories and docs.
 * It holds commands simplekv does not implement too; the command table takes from it the ones it has handlers for.
 */
public final class CommandCatalog {
    static final String RESOURCE = "redis-commands.json";

    private final Map<String, CommandMeta> byName;

    private CommandCatalog(Map<String, CommandMeta> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Redis 7.0.15's commands; parsed once per JVM (the result is immutable). */
    public static CommandCatalog redis() {
        return Loaded.CATALOG;
    }

    private static final class Loaded {
        static final CommandCatalog CATALOG = read();
    }

    static CommandCatalog read() {
        try (InputStream in = CommandCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
            Map<String, CommandMeta> byName = new LinkedHashMap<>();
            for (Object o : JSON.std.listFrom(in)) {
                CommandMeta meta = command(map(o));
                byName.put(meta.name(), meta);
            }
            return new CommandCatalog(byName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** A top-level command by lower-case name, or null. */
    public CommandMeta command(String name) {
        return byName.get(name);
    }

    public int size() {
        return byName.size();
    }

    private static CommandMeta command(Map<String, Object> o) {
        EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        for (String f : strings(o.get("flags"))) flags.add(CommandFlag.of(f));
        EnumSet<AclCategory> cats = EnumSet.noneOf(AclCategory.class);
        for (String c : strings(o.get("acl_categories"))) cats.add(AclCategory.of(c));
        List<KeySpec> specs = new ArrayList<>();
        for (Object s : list(o.get("key_specs"))) specs.add(keySpec(map(s)));
        Object proc = o.get("getkeys_proc");
        Map<String, CommandMeta> subs = new LinkedHashMap<>();
        for (Object s : list(o.get("subcommands"))) {
            CommandMeta sub = command(map(s));
            subs.put(sub.shortName(), sub);
        }
        return new CommandMeta((String) o.get("name"), integer(o.get("arity")), flags, cats,
                integer(o.get("first_key")), integer(o.get("last_key")), integer(o.get("key_step")),
                strings(o.get("tips")), specs, proc == null ? null : GetKeysProcedure.byRedisName((String) proc),
                docs(map(o.get("docs"))), subs);
    }

    private static KeySpec keySpec(Map<String, Object> o) {
        EnumSet<KeySpec.Flag> flags = EnumSet.noneOf(KeySpec.Flag.class);
        for (String f : strings(o.get("flags"))) flags.add(KeySpec.Flag.of(f));
        Map<String, Object> bs = map(o.get("begin_search"));
        Map<String, Object> bsSpec = map(bs.get("spec"));
        KeySpec.BeginSearch begin = switch ((String) bs.get("type")) {
            case "index" -> new KeySpec.Index(integer(bsSpec.get("index")));
            case "keyword" -> new KeySpec.Keyword((String) bsSpec.get("keyword"), integer(bsSpec.get("startfrom")));
            case "unknown" -> new KeySpec.UnknownBegin();
            default -> throw new IllegalArgumentException("begin_search type " + bs.get("type"));
        };
        Map<String, Object> fk = map(o.get("find_keys"));
        Map<String, Object> fkSpec = map(fk.get("spec"));
        KeySpec.FindKeys find = switch ((String) fk.get("type")) {
            case "range" -> new KeySpec.Range(integer(fkSpec.get("lastkey")), integer(fkSpec.get("keystep")),
                    integer(fkSpec.get("limit")));
            case "keynum" -> new KeySpec.KeyNum(integer(fkSpec.get("keynumidx")), integer(fkSpec.get("firstkey")),
                    integer(fkSpec.get("keystep")));
            case "unknown" -> new KeySpec.UnknownFind();
            default -> throw new IllegalArgumentException("find_keys type " + fk.get("type"));
        };
        return new KeySpec((String) o.get("notes"), flags, begin, find);
    }

    private static CommandDocs docs(Map<String, Object> o) {
        List<CommandDocs.HistoryEntry> history = null;
        if (o.containsKey("history")) {
            history = new ArrayList<>();
            for (Object h : list(o.get("history"))) {
                List<String> pair = strings(h);
                history.add(new CommandDocs.HistoryEntry(pair.get(0), pair.get(1)));
            }
        }
        return new CommandDocs((String) o.get("summary"), (String) o.get("since"), (String) o.get("group"),
                (String) o.get("complexity"), strings(o.get("doc_flags")), (String) o.get("deprecated_since"),
                (String) o.get("replaced_by"), history, o.containsKey("arguments") ? args(o.get("arguments")) : null);
    }

    private static List<CommandArg> args(Object list) {
        List<CommandArg> args = new ArrayList<>();
        for (Object a : list(list)) {
            Map<String, Object> o = map(a);
            EnumSet<CommandArg.Flag> flags = EnumSet.noneOf(CommandArg.Flag.class);
            for (String f : strings(o.get("flags"))) flags.add(CommandArg.Flag.of(f));
            Object keySpec = o.get("key_spec_index");
            args.add(new CommandArg((String) o.get("name"), (String) o.get("type"),
                    keySpec == null ? -1 : integer(keySpec), (String) o.get("token"), (String) o.get("summary"),
                    (String) o.get("since"), (String) o.get("deprecated_since"), flags, args(o.get("arguments"))));
        }
        return args;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static List<?> list(Object o) {
        return o == null ? List.of() : (List<?>) o;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object s : list(o)) out.add((String) s);
        return out;
    }

    private static int integer(Object o) {
        return ((Number) o).intValue();
    }
}
