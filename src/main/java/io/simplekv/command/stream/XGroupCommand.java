package io.simplekv.command.stream;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Help;
import io.simplekv.command.Notify;
import io.simplekv.command.Session;
import io.simplekv.keyspace.StreamGroups;
import io.simplekv.keyspace.StreamId;
import io.simplekv.keyspace.StreamTable;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import static io.simplekv.command.CommandSpec.command;

/** XGROUP CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER and HELP, as Redis 7.0's xgroupCommand. */
final class XGroupCommand {
    private XGroupCommand() {}

    static void register(CommandTable.Builder t) {
        t.add(command("xgroup", null)
                .sub(command("create", XGroupCommand::xgroup))
                .sub(command("setid", XGroupCommand::xgroup))
                .sub(command("destroy", XGroupCommand::xgroup))
                .sub(command("createconsumer", XGroupCommand::xgroup))
                .sub(command("delconsumer", XGroupCommand::xgroup))
                .sub(command("help", XGroupCommand::xgroup)));
    }

    static RedisError noGroup(byte[] group, byte[] key) {
        return new RedisError("NOGROUP No such consumer group '" + Args.text(group) + "' for key name '" + Args.text(key) + "'");
    }

    static void xgroup(Session c, byte[][] a, ReplySink out) {
        byte[] opt = a[1];
        boolean mkstream = false;
        long entriesRead = StreamGroups.INVALID_ENTRIES_READ;
        StreamTable s = null;
        StreamGroups.Group group = null;
        if (a.length >= 4) {
            boolean create = Args.is(opt, "CREATE"), setid = Args.is(opt, "SETID");
            for (int i = 5; i < a.length; ) {
                if (create && Args.is(a[i], "MKSTREAM")) {
                    mkstream = true;
                    i++;
                } else if ((create || setid) && Args.is(a[i], "ENTRIESREAD") && i + 1 < a.length) {
                    entriesRead = Args.toLong(a[i + 1]);
                    if (entriesRead < 0 && entriesRead != StreamGroups.INVALID_ENTRIES_READ) {
                        throw RedisError.err("value for ENTRIESREAD must be positive or -1");
                    }
                    i += 2;
                } else {
                    throw Help.syntaxError(a[1], "XGROUP");
                }
            }
            s = StreamCommands.open(c, a[2]);
            if (!mkstream) {
                if (s == null) {
                    throw RedisError.err("The XGROUP subcommand requires the key to exist. Note that for CREATE you "
                            + "may want to use the MKSTREAM option to create an empty stream automatically.");
                }
                group = s.groups().get(a[3]);
                if (group == null && (Args.is(opt, "SETID") || Args.is(opt, "CREATECONSUMER") || Args.is(opt, "DELCONSUMER"))) {
                    throw noGroup(a[3], a[2]);
                }
            }
        }
        if (a.length == 2 && Args.is(opt, "HELP")) {
            Help.reply(out, "XGROUP",
                    "CREATE <key> <groupname> <id|$> [option]", "    Create a new consumer group. Options are:",
                    "    * MKSTREAM", "      Create the empty stream if it does not exist.",
                    "    * ENTRIESREAD entries_read", "      Set the group's entries_read counter (internal use).",
                    "CREATECONSUMER <key> <groupname> <consumer>", "    Create a new consumer in the specified group.",
                    "DELCONSUMER <key> <groupname> <consumer>", "    Remove the specified consumer.",
                    "DESTROY <key> <groupname>", "    Remove the specified group.",
                    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                    "    Set the current group ID and entries_read counter.");
        } else if (Args.is(opt, "CREATE") && a.length >= 5 && a.length <= 8) {
            StreamId id;
            if (isDollar(a[4])) id = s == null ? StreamId.MIN : s.lastId();
            else id = StreamIds.strict(a[4], 0);
            if (s == null) s = StreamTable.openOrCreate(c.db(), a[2], StreamCommands.limits(c));
            if (s.groups().create(a[3], id, entriesRead) == null) {
                s.commit(); // MKSTREAM made the key before the name turned out taken, as in Redis
                throw new RedisError("BUSYGROUP Consumer Group name already exists");
            }
            s.groupsChanged();
            s.commit();
            out.ok();
            Notify.stream(c, "xgroup-create", a[2]);
        } else if (Args.is(opt, "SETID") && (a.length == 5 || a.length == 7)) {
            StreamId id = isDollar(a[4]) ? s.lastId() : StreamIds.parse(a[4], 0);
            group.lastId = id;
            group.entriesRead = entriesRead;
            s.groupsChanged();
            s.commit();
            out.ok();
            Notify.stream(c, "xgroup-setid", a[2]);
        } else if (Args.is(opt, "DESTROY") && a.length == 4) {
            if (group == null) {
                out.integer(0);
                return;
            }
            s.groups().destroy(a[3]);
            s.groupsChanged();
            s.commit();
            out.integer(1);
            Notify.stream(c, "xgroup-destroy", a[2]);
            c.db().signalReady(a[2]); // a client blocked in XREADGROUP on the group answers NOGROUP
        } else if (Args.is(opt, "CREATECONSUMER") && a.length == 5) {
            boolean created = group.createConsumer(a[4], System.currentTimeMillis()) != null;
            if (created) {
                s.groupsChanged();
                s.commit();
                Notify.stream(c, "xgroup-createconsumer", a[2]);
            }
            out.integer(created ? 1 : 0);
        } else if (Args.is(opt, "DELCONSUMER") && a.length == 5) {
            long pending = group.deleteConsumer(a[4]);
            if (pending >= 0) {
                s.groupsChanged();
                s.commit();
                Notify.stream(c, "xgroup-delconsumer", a[2]);
            }
            out.integer(Math.max(0, pending));
        } else {
            throw Help.syntaxError(a[1], "XGROUP");
        }
    }

    static boolean isDollar(byte[] arg) {
        return arg.length == 1 && arg[0] == '$';
    }
}
