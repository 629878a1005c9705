package io.simplekv.command;

import io.simplekv.acl.AclRuleException;
import io.simplekv.acl.AclRules;
import io.simplekv.acl.AclUsers;
import io.simplekv.acl.User;
import io.simplekv.config.ConfigFileParser;
import io.simplekv.config.LiveConfig;
import io.simplekv.config.ServerConfig;

import java.nio.file.Path;
import java.util.ArrayList;

/**
 * The users a server starts with (Redis's ACLInit, requirepass and ACLLoadUsersAtStartup): the default user, the
 * config file's "user" lines or the aclfile, never both. A bad definition stops the start, as in Redis.
 */
public final class AclStartup {
    private AclStartup() {}

    static AclUsers load(ServerConfig config, CommandTable commands, LiveConfig live) {
        AclUsers users = new AclUsers(new AclRules(commands,
                () -> "allchannels".equals(live.get().get("acl-pubsub-default"))));
        users.defaultPassword(config.requirepass);
        String aclfile = config.get("aclfile");
        boolean fromFile = aclfile != null && !aclfile.isEmpty();
        if (fromFile && !config.users.isEmpty()) {
            throw new ConfigFileParser.BadConfigFile("Configuring Redis with users defined in redis.conf and at the "
                    + "same setting an ACL file path is invalid. This setup is very likely to lead to configuration "
                    + "errors and security holes, please define either an ACL file or declare users directly in your "
                    + "redis.conf, but not both.");
        }
        try {
            users.loadConfigured(config.users);
        } catch (AclRuleException e) {
            throw new ConfigFileParser.BadConfigFile(e.getMessage() + ". Critical error while loading ACLs. Exiting.");
        }
        if (fromFile) {
            String errors = users.loadFile(aclfilePath(config), aclfile, new ArrayList<User>());
            if (errors != null) throw new ConfigFileParser.BadConfigFile("Aborting Redis startup because of ACL errors: " + errors);
        }
        return users;
    }

    /** The aclfile, a relative name taken from dir, as Redis reads it after moving into dir. */
    public static Path aclfilePath(ServerConfig config) {
        return Path.of(config.dir).resolve(config.get("aclfile"));
    }
}
