package io.simplekv.command;

import io.simplekv.protocol.ReplySink;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes a command's COMMAND INFO entry and COMMAND DOCS map from its Redis metadata, field for field as Redis
 * 7.0.15's addReplyCommandInfo and addReplyCommandDocs do. Subcommands are the ones our table has.
 */
final class CommandReplies {
    private CommandReplies() {}

    static void info(CommandSpec spec, ReplySink out) {
        CommandMeta m = spec.meta;
        out.array(10);
        out.bulk(m.name());
        out.integer(m.arity());
        flags(out, CommandFlag.values(), m.flags(), f -> f.redisName);
        out.integer(m.firstKey());
        out.integer(m.lastKey());
        out.integer(m.keyStep());
        int cats = 0;
        for (AclCategory c : AclCategory.values()) if (m.aclCategories().contains(c)) cats++;
        set(out, cats);
        for (AclCategory c : AclCategory.values()) if (m.aclCategories().contains(c)) out.simple(c.redisName);
        set(out, m.tips().size());
        for (String tip : m.tips()) out.bulk(tip);
        set(out, m.keySpecs().size());
        for (KeySpec ks : m.keySpecs()) keySpec(ks, out);
        if (m.subcommands().isEmpty()) {
            set(out, 0);
        } else {
            out.array(spec.subcommands.size());
            for (CommandSpec sub : spec.subcommands.values()) info(sub, out);
        }
    }

    static void keyFlags(Set<KeySpec.Flag> flags, ReplySink out) {
        flags(out, KeySpec.Flag.values(), flags, f -> f.redisName);
    }

    private static void keySpec(KeySpec ks, ReplySink out) {
        out.map(ks.notes() != null ? 4 : 3);
        if (ks.notes() != null) {
            out.bulk("notes");
            out.bulk(ks.notes());
        }
        out.bulk("flags");
        keyFlags(ks.flags(), out);
        out.bulk("begin_search");
        out.map(2);
        out.bulk("type");
        if (ks.begin() instanceof KeySpec.Index index) {
            out.bulk("index");
            out.bulk("spec");
            out.map(1);
            out.bulk("index");
            out.integer(index.pos());
        } else if (ks.begin() instanceof KeySpec.Keyword keyword) {
            out.bulk("keyword");
            out.bulk("spec");
            out.map(2);
            out.bulk("keyword");
            out.bulk(keyword.keyword());
            out.bulk("startfrom");
            out.integer(keyword.startFrom());
        } else {
            out.bulk("unknown");
            out.bulk("spec");
            out.map(0);
        }
        out.bulk("find_keys");
        out.map(2);
        out.bulk("type");
        if (ks.find() instanceof KeySpec.Range range) {
            out.bulk("range");
            out.bulk("spec");
            out.map(3);
            out.bulk("lastkey");
            out.integer(range.lastKey());
            out.bulk("keystep");
            out.integer(range.keyStep());
            out.bulk("limit");
            out.integer(range.limit());
        } else if (ks.find() instanceof KeySpec.KeyNum keyNum) {
            out.bulk("keynum");
            out.bulk("spec");
            out.map(3);
            out.bulk("keynumidx");
            out.integer(keyNum.keyNumIdx());
            out.bulk("firstkey");
            out.integer(keyNum.firstKey());
            out.bulk("keystep");
            out.integer(keyNum.keyStep());
        } else {
            out.bulk("unknown");
            out.bulk("spec");
            out.map(0);
        }
    }

    static void docs(CommandSpec spec, ReplySink out) {
        CommandDocs d = spec.meta.docs();
        int fields = 1;
        if (d.summary() != null) fields++;
        if (d.since() != null) fields++;
        if (d.complexity() != null) fields++;
        if (!d.docFlags().isEmpty()) fields++;
        if (d.deprecatedSince() != null) fields++;
        if (d.replacedBy() != null) fields++;
        if (d.history() != null) fields++;
        if (d.arguments() != null) fields++;
        if (spec.meta.subcommands().size() > 0) fields++;
        out.map(fields);
        if (d.summary() != null) {
            out.bulk("summary");
            out.bulk(d.summary());
        }
        if (d.since() != null) {
            out.bulk("since");
            out.bulk(d.since());
        }
        out.bulk("group");
        out.bulk(d.group());
        if (d.complexity() != null) {
            out.bulk("complexity");
            out.bulk(d.complexity());
        }
        if (!d.docFlags().isEmpty()) {
            out.bulk("doc_flags");
            set(out, d.docFlags().size());
            for (String f : d.docFlags()) out.simple(f);
        }
        if (d.deprecatedSince() != null) {
            out.bulk("deprecated_since");
            out.bulk(d.deprecatedSince());
        }
        if (d.replacedBy() != null) {
            out.bulk("replaced_by");
            out.bulk(d.replacedBy());
        }
        if (d.history() != null) {
            out.bulk("history");
            set(out, d.history().size());
            for (CommandDocs.HistoryEntry h : d.history()) {
                out.array(2);
                out.bulk(h.since());
                out.bulk(h.changes());
            }
        }
        if (d.arguments() != null) {
            out.bulk("arguments");
            arguments(d.arguments(), out);
        }
        if (spec.meta.subcommands().size() > 0) {
            out.bulk("subcommands");
            out.map(spec.subcommands.size());
            for (CommandSpec sub : spec.subcommands.values()) {
                out.bulk(sub.fullName);
                docs(sub, out);
            }
        }
    }

    private static void arguments(List<CommandArg> args, ReplySink out) {
        out.array(args.size());
        for (CommandArg a : args) {
            int fields = 2;
            if (a.keySpecIndex() >= 0) fields++;
            if (a.token() != null) fields++;
            if (a.summary() != null) fields++;
            if (a.since() != null) fields++;
            if (a.deprecatedSince() != null) fields++;
            if (!a.flags().isEmpty()) fields++;
            if (a.hasChildren()) fields++;
            out.map(fields);
            out.bulk("name");
            out.bulk(a.name());
            out.bulk("type");
            out.bulk(a.type());
            if (a.keySpecIndex() >= 0) {
                out.bulk("key_spec_index");
                out.integer(a.keySpecIndex());
            }
            if (a.token() != null) {
                out.bulk("token");
                out.bulk(a.token());
            }
            if (a.summary() != null) {
                out.bulk("summary");
                out.bulk(a.summary());
            }
            if (a.since() != null) {
                out.bulk("since");
                out.bulk(a.since());
            }
            if (a.deprecatedSince() != null) {
                out.bulk("deprecated_since");
                out.bulk(a.deprecatedSince());
            }
            if (!a.flags().isEmpty()) {
                out.bulk("flags");
                flags(out, CommandArg.Flag.values(), a.flags(), f -> f.redisName);
            }
            if (a.hasChildren()) {
                out.bulk("arguments");
                arguments(a.children(), out);
            }
        }
    }

    /** The flags present, in their enum's order (Redis's), as status replies. */
    private static <E extends Enum<E>> void flags(ReplySink out, E[] order, Set<E> present, Function<E, String> name) {
        set(out, present.size());
        for (E f : order) {
            if (present.contains(f)) out.simple(name.apply(f));
        }
    }

    /** Redis replies a set here (addReplySetLen): a RESP3 set, an array in RESP2. */
    private static void set(ReplySink out, int n) {
        out.set(n);
    }
}
