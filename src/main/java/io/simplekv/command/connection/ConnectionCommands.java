package io.simplekv.command.connection;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Help;
import io.simplekv.command.Session;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import io.simplekv.acl.AclLog;
import io.simplekv.acl.User;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.simplekv.command.CommandSpec.command;
import static io.simplekv.command.ExecutionTrait.NOT_QUEUED;
import static io.simplekv.command.ExecutionTrait.SUBSCRIBED_OK;

/** PING, ECHO, QUIT, AUTH, HELLO, SELECT, SWAPDB, RESET and the CLIENT subcommands. */
public final class ConnectionCommands {
    private ConnectionCommands() {}

    /** The Redis version whose behaviour we follow; clients read it from HELLO and INFO to pick features. */
    public static final String REDIS_VERSION = "7.0.15";

    public static void register(CommandTable.Builder t) {
        t.add(command("ping", ConnectionCommands::ping).traits(SUBSCRIBED_OK));
        t.add(command("echo", (c, a, o) -> o.bulk(a[1])));
        t.add(command("quit", ConnectionCommands::quit).traits(SUBSCRIBED_OK, NOT_QUEUED));
        t.add(command("auth", ConnectionCommands::auth));
        t.add(command("hello", ConnectionCommands::hello));
        t.add(command("select", ConnectionCommands::select));
        // Cluster commands a standalone Redis 7.0 still knows (so ACL rules may name them): they answer so.
        t.add(command("readonly", ConnectionCommands::noCluster));
        t.add(command("readwrite", ConnectionCommands::noCluster));
        t.add(command("asking", ConnectionCommands::noCluster));
        // A standalone Redis knows CLUSTER and refuses every subcommand the same way (clusterCommand's first check).
        var cluster = command("cluster", null);
        for (String sub : List.of("addslots", "addslotsrange", "bumpepoch", "count-failure-reports", "countkeysinslot",
                "delslots", "delslotsrange", "failover", "flushslots", "forget", "getkeysinslot", "help", "info", "keyslot",
                "links", "meet", "myid", "nodes", "replicas", "replicate", "reset", "saveconfig", "set-config-epoch",
                "setslot", "shards", "slaves", "slots")) {
            cluster.sub(command(sub, ConnectionCommands::noCluster));
        }
        t.add(cluster);
        t.add(command("reset", ConnectionCommands::reset).traits(SUBSCRIBED_OK, NOT_QUEUED));
        t.add(command("client", null)
                .sub(command("id", (c, a, o) -> o.integer(c.id())))
                .sub(command("getname", (c, a, o) -> o.bulkOrNull(c.name().isEmpty() ? null : Args.bytes(c.name()))))
                .sub(command("setname", ConnectionCommands::setname))
                .sub(command("info", (c, a, o) -> o.verbatim("txt", c.info() + "\n")))
                .sub(command("list", ConnectionCommands::list))
                .sub(command("kill", ConnectionCommands::kill))
                .sub(command("unblock", ConnectionCommands::unblock))
                .sub(command("reply", ConnectionCommands::reply))
                .sub(command("no-evict", ConnectionCommands::noEvict))
                .sub(command("pause", ConnectionCommands::pause))
                .sub(command("unpause", (c, a, o) -> {
                    c.server().pause().unpause();
                    o.ok();
                }))
                .sub(command("tracking", TrackingCommands::tracking))
                .sub(command("caching", TrackingCommands::caching))
                .sub(command("getredir", TrackingCommands::getredir))
                .sub(command("trackinginfo", TrackingCommands::trackinginfo))
                .sub(command("help", (c, a, o) -> Help.reply(o, "CLIENT", HELP))));
    }

    /**
     * Redis 7.0.15's CLIENT HELP text, word for word, including the subcommands it lists that we may not have (PAUSE,
     * TRACKING): clients and people read it as Redis's.
     */
    private static final String[] HELP = {
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
    };

    /** CLIENT PAUSE timeout [WRITE | ALL]: the mode is checked first, then the timeout in milliseconds. */
    static void pause(Session c, byte[][] a, ReplySink out) {
        boolean all = true;
        if (a.length == 4) {
            if (Args.is(a[3], "WRITE")) all = false;
            else if (!Args.is(a[3], "ALL")) throw RedisError.err("CLIENT PAUSE mode must be WRITE or ALL");
        }
        c.server().pause().pause(io.simplekv.command.BlockingPops.timeoutMillis(a[2]), all);
        out.ok();
    }

    static void ping(Session c, byte[][] a, ReplySink out) {
        if (a.length > 2) throw RedisError.err("wrong number of arguments for 'ping' command");
        if (c.protocolVersion() == 2 && c.subscriptions().any()) {
            // Subscribed mode: every reply must look like a message, so PING answers as Redis does there.
            out.array(2);
            out.bulk("pong");
            out.bulk(a.length == 2 ? a[1] : new byte[0]);
        } else if (a.length == 2) out.bulk(a[1]);
        else out.simple("PONG");
    }

    static void quit(Session c, byte[][] a, ReplySink out) {
        out.ok();
        c.closeAfterReply();
    }

    static void auth(Session c, byte[][] a, ReplySink out) {
        if (a.length > 3) throw RedisError.SYNTAX;
        if (a.length == 2 && c.server().acl().defaultUser().rules().nopass()) {
            throw RedisError.err("AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        byte[] user = a.length == 3 ? a[1] : Args.bytes("default");
        authenticate(c, a[0], user, a[a.length - 1]);
        out.ok();
    }

    /**
     * Redis's ACLAuthenticateUser: on success the client is that user; a failure is logged in ACL LOG under the
     * command's name as typed, and answered WRONGPASS whether the user is missing, off, or the password wrong.
     */
    private static void authenticate(Session c, byte[] command, byte[] user, byte[] password) {
        String name = new String(user, StandardCharsets.ISO_8859_1);
        User u = c.server().acl().authenticate(name, password);
        if (u == null) {
            c.server().aclLog().add(AclLog.Reason.AUTH, c.inMulti() ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL,
                    new String(command, StandardCharsets.ISO_8859_1), name, c.info(),
                    Long.parseLong(c.server().config().get("acllog-max-len")));
            throw new RedisError("WRONGPASS invalid username-password pair or user is disabled.");
        }
        c.user(u);
        c.authenticated(true);
    }

    /** Redis's order: protocol version, then every option's syntax, then AUTH, then the name, then the reply. */
    static void hello(Session c, byte[][] a, ReplySink out) {
        int version = c.protocolVersion();
        if (a.length >= 2) {
            long v;
            try {
                v = Args.toLong(a[1]);
            } catch (RedisError e) {
                throw RedisError.err("Protocol version is not an integer or out of range");
            }
            if (v < 2 || v > 3) throw new RedisError("NOPROTO unsupported protocol version");
            version = (int) v;
        }
        byte[] user = null, password = null;
        String name = null;
        for (int i = 2; i < a.length; i++) {
            int more = a.length - 1 - i;
            if (Args.is(a[i], "AUTH") && more >= 2) {
                user = a[i + 1];
                password = a[i + 2];
                i += 2;
            } else if (Args.is(a[i], "SETNAME") && more >= 1) {
                name = Args.text(a[++i]);
            } else {
                throw RedisError.err("Syntax error in HELLO option '" + Args.text(a[i]) + "'");
            }
        }
        if (user != null) authenticate(c, a[0], user, password);
        if (!c.authenticated()) {
            throw new RedisError("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
        }
        if (name != null) {
            checkName(name);
            c.name(name);
        }
        c.protocolVersion(version);
        out.useProtocol(version);
        out.map(7);
        out.bulk("server");
        out.bulk("redis");
        out.bulk("version");
        out.bulk(REDIS_VERSION);
        out.bulk("proto");
        out.integer(version);
        out.bulk("id");
        out.integer(c.id());
        out.bulk("mode");
        out.bulk("standalone");
        out.bulk("role");
        out.bulk("master");
        out.bulk("modules");
        out.array(0);
    }

    static void noCluster(Session c, byte[][] a, ReplySink out) {
        throw RedisError.err("This instance has cluster support disabled");
    }

    static void select(Session c, byte[][] a, ReplySink out) {
        int db = Args.toInt(a[1]);
        if (db < 0 || db >= c.server().keyspace().databases()) throw RedisError.DB_INDEX;
        c.select(db);
        out.ok();
    }

    static void reset(Session c, byte[][] a, ReplySink out) {
        if (c.inMulti()) c.endMulti();
        c.unwatchAll();
        c.server().pubsub().unsubscribeAll(c);
        c.select(0);
        c.name("");
        c.protocolVersion(2);
        c.defaultAuth();
        // Redis's clearClientConnectionState also ends MONITOR, tracking and CLIENT REPLY OFF/SKIP.
        c.server().monitors().remove(c);
        c.server().tracking().disable(c);
        c.replies(true);
        out.simple("RESET");
    }

    private static void checkName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                throw RedisError.err("Client names cannot contain spaces, newlines or special characters.");
            }
        }
    }

    static void setname(Session c, byte[][] a, ReplySink out) {
        String name = Args.text(a[2]);
        checkName(name);
        c.name(name);
        out.ok();
    }

    static void list(Session c, byte[][] a, ReplySink out) {
        List<Session> chosen = new ArrayList<>();
        if (a.length == 2) {
            chosen.addAll(c.server().clients().all());
        } else if (Args.is(a[2], "TYPE") && a.length == 4) {
            String type = Args.text(a[3]).toLowerCase();
            if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                throw RedisError.err("Unknown client type '" + Args.text(a[3]) + "'");
            }
            for (Session x : c.server().clients().all()) {
                if (type.equals(clientType(x))) chosen.add(x);
            }
        } else if (Args.is(a[2], "ID") && a.length >= 4) {
            for (int i = 3; i < a.length; i++) {
                long id;
                try {
                    id = Args.toLong(a[i]);
                } catch (RedisError e) {
                    throw RedisError.err("Invalid client ID");
                }
                Session other = c.server().clients().get(id);
                if (other != null) chosen.add(other);
            }
        } else {
            throw RedisError.SYNTAX;
        }
        chosen.sort((x, y) -> Long.compare(x.id(), y.id()));
        StringBuilder b = new StringBuilder();
        for (Session x : chosen) b.append(x.info()).append('\n');
        out.verbatim("txt", b.toString());
    }

    /** CLIENT UNBLOCK id [TIMEOUT | ERROR]: ends another client's wait as a timeout would, or with an error. */
    static void unblock(Session c, byte[][] a, ReplySink out) {
        if (a.length > 4) throw Help.syntaxError(a[1], "CLIENT");
        boolean withError = false;
        if (a.length == 4) {
            if (Args.is(a[3], "ERROR")) withError = true;
            else if (!Args.is(a[3], "TIMEOUT")) throw RedisError.err("CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        }
        Session target = c.server().clients().get(Args.toLong(a[2]));
        out.integer(target != null && c.server().waits().unblock(target, withError) ? 1 : 0);
    }

    static void kill(Session c, byte[][] a, ReplySink out) {
        if (a.length == 3) {
            String addr = Args.text(a[2]);
            for (Session x : c.server().clients().all()) {
                if (x.address().equals(addr)) {
                    closeClient(c, x);
                    out.ok();
                    return;
                }
            }
            throw RedisError.err("No such client");
        }
        if (a.length % 2 != 0) throw RedisError.SYNTAX;
        Long id = null;
        String addr = null, laddr = null, user = null, type = null;
        boolean skipMe = true;
        for (int i = 2; i < a.length; i += 2) {
            String v = Args.text(a[i + 1]);
            if (Args.is(a[i], "ID")) {
                try {
                    id = Args.toLong(a[i + 1]);
                } catch (RedisError e) {
                    throw RedisError.err("client-id should be greater than 0");
                }
                if (id <= 0) throw RedisError.err("client-id should be greater than 0");
            } else if (Args.is(a[i], "ADDR")) addr = v;
            else if (Args.is(a[i], "LADDR")) laddr = v;
            else if (Args.is(a[i], "USER")) {
                if (c.server().acl().get(v) == null) throw RedisError.err("No such user '" + v + "'");
                user = v;
            }
            else if (Args.is(a[i], "TYPE")) {
                type = v.toLowerCase();
                if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                    throw RedisError.err("Unknown client type '" + v + "'");
                }
            } else if (Args.is(a[i], "SKIPME")) {
                if (v.equalsIgnoreCase("yes")) skipMe = true;
                else if (v.equalsIgnoreCase("no")) skipMe = false;
                else throw RedisError.SYNTAX;
            } else throw RedisError.SYNTAX;
        }
        long killed = 0;
        for (Session x : c.server().clients().all()) {
            if (id != null && x.id() != id) continue;
            if (addr != null && !x.address().equals(addr)) continue;
            if (laddr != null && !x.localAddress().equals(laddr)) continue;
            if (type != null && !type.equals(clientType(x))) continue;
            if (user != null && !x.user().name().equals(user)) continue;
            if (skipMe && x == c) continue;
            closeClient(c, x);
            killed++;
        }
        out.integer(killed);
    }

    /** Redis's client classes; we have no replicas or masters, so "replica", "slave" and "master" match none. */
    private static String clientType(Session x) {
        return x.subscriptions().any() ? "pubsub" : "normal";
    }

    private static void closeClient(Session self, Session victim) {
        victim.kill(self);
    }

    static void reply(Session c, byte[][] a, ReplySink out) {
        // OFF and SKIP send no reply of their own, as in Redis.
        if (Args.is(a[2], "ON")) {
            c.replies(true);
            out.ok();
        } else if (Args.is(a[2], "OFF")) {
            c.replies(false);
        } else if (Args.is(a[2], "SKIP")) {
            c.skipNextReply();
        } else {
            throw RedisError.SYNTAX;
        }
    }

    static void noEvict(Session c, byte[][] a, ReplySink out) {
        if (!Args.is(a[2], "ON") && !Args.is(a[2], "OFF")) throw RedisError.SYNTAX;
        c.noEvict(Args.is(a[2], "ON"));
        out.ok();
    }
}
