package io.simplekv.command.server;

import io.simplekv.acl.AclCommandSet;
import io.simplekv.acl.AclLog;
import io.simplekv.acl.AclRuleException;
import io.simplekv.acl.AclUsers;
import io.simplekv.acl.Passwords;
import io.simplekv.acl.Selector;
import io.simplekv.acl.User;
import io.simplekv.acl.UserRules;
import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Help;
import io.simplekv.command.Session;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;
import io.simplekv.pubsub.PubSub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/** ACL and its subcommands, as Redis 7.0.15's aclCommand answers them. */
public final class AclCommands {
    private AclCommands() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("acl", null)
                .sub(command("setuser", AclCommands::setuser))
                .sub(command("getuser", AclCommands::getuser))
                .sub(command("deluser", AclCommands::deluser))
                .sub(command("list", (c, a, o) -> list(c, a, o, false)))
                .sub(command("users", (c, a, o) -> list(c, a, o, true)))
                .sub(command("whoami", (c, a, o) -> o.bulk(latin1(c.user().name()))))
                .sub(command("cat", AclCommands::cat))
                .sub(command("genpass", AclCommands::genpass))
                .sub(command("log", AclCommands::log))
                .sub(command("dryrun", AclCommands::dryrun))
                .sub(command("load", AclCommands::load))
                .sub(command("save", AclCommands::save))
                .sub(command("help", AclCommands::help)));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static AclCommandSet commands(Session c) {
        return c.server().acl().rules().commands();
    }

    static void setuser(Session c, byte[][] a, ReplySink out) {
        String name = text(a[2]);
        if (Selector.hasSpaces(name)) throw RedisError.err("Usernames can't contain spaces or null characters");
        List<String> ops = new ArrayList<>();
        for (int i = 3; i < a.length; i++) ops.add(text(a[i]));
        AclUsers users = c.server().acl();
        UserRules before;
        try {
            before = users.setUser(name, ops);
        } catch (AclRuleException e) {
            throw new RedisError(e.setUserError());
        }
        if (before != null) dropLostSubscribers(c, users.get(name));
        out.ok();
    }

    /**
     * Redis's ACLKillPubsubClientsIfNeeded: a subscriber of the user whose channel or pattern the new rules no
     * longer grant is disconnected.
     */
    private static void dropLostSubscribers(Session c, User user) {
        UserRules rules = user.rules();
        PubSub pubsub = c.server().pubsub();
        for (Session s : c.server().clients().all()) {
            if (s.user() != user || !s.subscriptions().any()) continue;
            boolean lost = false;
            for (byte[] p : pubsub.subscribed(s, PubSub.Kind.PATTERN)) lost |= !grants(rules, p, true);
            for (byte[] ch : pubsub.subscribed(s, PubSub.Kind.CHANNEL)) lost |= !grants(rules, ch, false);
            for (byte[] ch : pubsub.subscribed(s, PubSub.Kind.SHARD)) lost |= !grants(rules, ch, false);
            if (lost) s.kill(c);
        }
    }

    private static boolean grants(UserRules rules, byte[] channel, boolean pattern) {
        for (Selector s : rules.selectors()) if (s.allowsChannel(channel, pattern)) return true;
        return false;
    }

    static void getuser(Session c, byte[][] a, ReplySink out) {
        User u = c.server().acl().get(text(a[2]));
        if (u == null) {
            out.nullBulk();
            return;
        }
        UserRules r = u.rules();
        out.map(6);
        out.bulk("flags");
        out.bulkSet(r.flagNames());
        out.bulk("passwords");
        out.array(r.passwords().size());
        for (String p : r.passwords()) out.bulk(p);
        describe(r.root(), commands(c), out);
        out.bulk("selectors");
        out.array(r.selectors().size() - 1);
        for (Selector s : r.selectors().subList(1, r.selectors().size())) {
            out.map(3);
            describe(s, commands(c), out);
        }
    }

    private static void describe(Selector s, AclCommandSet commands, ReplySink out) {
        out.bulk("commands");
        out.bulk(latin1(s.commandRules(commands)));
        out.bulk("keys");
        out.bulk(latin1(s.keysDescription()));
        out.bulk("channels");
        out.bulk(latin1(s.channelsDescription()));
    }

    static void deluser(Session c, byte[][] a, ReplySink out) {
        for (int i = 2; i < a.length; i++) {
            if (text(a[i]).equals(AclUsers.DEFAULT)) throw RedisError.err("The 'default' user cannot be removed");
        }
        long deleted = 0;
        for (int i = 2; i < a.length; i++) {
            User gone = c.server().acl().delete(text(a[i]));
            if (gone != null) {
                disconnect(c, gone);
                deleted++;
            }
        }
        out.integer(deleted);
    }

    /**
     * Redis's ACLFreeUserAndKillClients: every client of a user that is gone goes back to the default user,
     * unauthenticated, and is closed; the one asking is closed after its reply.
     */
    private static void disconnect(Session c, User gone) {
        for (Session s : c.server().clients().all()) {
            if (s.user() != gone) continue;
            s.user(c.server().acl().defaultUser());
            s.authenticated(false);
            s.kill(c);
        }
        if (c.user() == gone) {
            c.user(c.server().acl().defaultUser());
            c.authenticated(false);
            c.closeAfterReply();
        }
    }

    /** Every user as ACL LIST shows it, "user name rules...": also CONFIG REWRITE's user lines. */
    static List<String> userLines(Session c) {
        List<String> out = new ArrayList<>();
        for (User u : c.server().acl().all()) out.add("user " + u.name() + " " + u.rules().describe(commands(c)));
        return out;
    }

    static void list(Session c, byte[][] a, ReplySink out, boolean namesOnly) {
        List<User> users = new ArrayList<>(c.server().acl().all());
        out.array(users.size());
        for (User u : users) {
            if (namesOnly) out.bulk(latin1(u.name()));
            else out.bulk(latin1("user " + u.name() + " " + u.rules().describe(commands(c))));
        }
    }

    static void cat(Session c, byte[][] a, ReplySink out) {
        if (a.length > 3) throw Help.syntaxError(a[1], "ACL");
        if (a.length == 2) {
            out.array(AclCommandSet.CATEGORIES.size());
            for (String name : AclCommandSet.CATEGORIES) out.bulk(name);
            return;
        }
        int bit = AclCommandSet.categoryBit(text(a[2]));
        if (bit < 0) {
            String asked = text(a[2]);
            throw RedisError.err("Unknown category '" + (asked.length() > 128 ? asked.substring(0, 128) : asked) + "'");
        }
        List<String> names = new ArrayList<>();
        collect(commands(c).aclCommands(), 1L << bit, names);
        out.array(names.size());
        for (String n : names) out.bulk(n);
    }

    private static void collect(List<? extends io.simplekv.acl.AclCommand> commands, long category, List<String> names) {
        for (var cmd : commands) {
            if ((cmd.aclCategoryBits() & category) != 0) names.add(cmd.fullName());
            collect(cmd.aclSubcommands(), category, names);
        }
    }

    static void genpass(Session c, byte[][] a, ReplySink out) {
        if (a.length > 3) throw Help.syntaxError(a[1], "ACL");
        long bits = a.length == 3 ? Args.toLong(a[2]) : 256;
        if (bits <= 0 || bits > 4096) {
            throw RedisError.err("ACL GENPASS argument must be the number of bits for the output password, a "
                    + "positive number up to 4096");
        }
        out.bulk(Passwords.generate((int) bits));
    }

    static void log(Session c, byte[][] a, ReplySink out) {
        if (a.length > 3) throw Help.syntaxError(a[1], "ACL");
        long count = 10;
        if (a.length == 3) {
            if (Args.is(a[2], "RESET")) {
                c.server().aclLog().reset();
                out.ok();
                return;
            }
            count = Math.max(0, Args.toLong(a[2]));
        }
        long now = System.currentTimeMillis();
        List<AclLog.Entry> entries = c.server().aclLog().newest(count);
        out.array(entries.size());
        for (AclLog.Entry e : entries) {
            out.map(7);
            out.bulk("count");
            out.integer(e.count());
            out.bulk("reason");
            out.bulk(e.reason().text);
            out.bulk("context");
            out.bulk(e.context().text);
            out.bulk("object");
            out.bulk(latin1(e.object()));
            out.bulk("username");
            out.bulk(latin1(e.username()));
            out.bulk("age-seconds");
            out.doubleValue((double) (now - e.millis()) / 1000);
            out.bulk("client-info");
            out.bulk(latin1(e.clientInfo()));
        }
    }

    static void dryrun(Session c, byte[][] a, ReplySink out) {
        User u = c.server().acl().get(text(a[2]));
        if (u == null) throw RedisError.err("User '" + text(a[2]) + "' not found");
        byte[][] cmd = Arrays.copyOfRange(a, 3, a.length);
        String refusal = c.server().service().dryRun(u, cmd);
        if (refusal == null) out.ok();
        else out.bulk(latin1(refusal));
    }

    private static Path aclfile(Session c) {
        String file = c.server().config().get("aclfile");
        if (file == null || file.isEmpty()) {
            throw RedisError.err("This Redis instance is not configured to use an ACL file. You may want to specify "
                    + "users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
                    + "configuration file set) in order to store users in the Redis configuration.");
        }
        return io.simplekv.command.AclStartup.aclfilePath(c.server().config());
    }

    static void load(Session c, byte[][] a, ReplySink out) {
        Path file = aclfile(c);
        List<User> replaced = new ArrayList<>();
        String errors = c.server().acl().loadFile(file, c.server().config().get("aclfile"), replaced);
        if (errors != null) throw RedisError.err(errors);
        for (User gone : replaced) disconnect(c, gone);
        out.ok();
    }

    static void save(Session c, byte[][] a, ReplySink out) {
        Path file = aclfile(c);
        try {
            c.server().acl().saveFile(file);
        } catch (IOException e) {
            throw RedisError.err("There was an error trying to save the ACLs. Please check the server logs for more information");
        }
        out.ok();
    }

    static void help(Session c, byte[][] a, ReplySink out) {
        Help.reply(out, "ACL",
                "CAT [<category>]",
                "    List all commands that belong to <category>, or all command categories",
                "    when no category is specified.",
                "DELUSER <username> [<username> ...]",
                "    Delete a list of users.",
                "DRYRUN <username> <command> [<arg> ...]",
                "    Returns whether the user can execute the given command without executing the command.",
                "GETUSER <username>",
                "    Get the user's details.",
                "GENPASS [<bits>]",
                "    Generate a secure 256-bit user password. The optional `bits` argument can",
                "    be used to specify a different size.",
                "LIST",
                "    Show users details in config file format.",
                "LOAD",
                "    Reload users from the ACL file.",
                "LOG [<count> | RESET]",
                "    Show the ACL log entries.",
                "SAVE",
                "    Save the current config to the ACL file.",
                "SETUSER <username> <attribute> [<attribute> ...]",
                "    Create or modify a user with the specified attributes.",
                "USERS",
                "    List all the registered usernames.",
                "WHOAMI",
                "    Return the current connection username.");
    }
}
