package io.simplekv.command;

import io.simplekv.acl.AclLog;
import io.simplekv.acl.KeyPattern;
import io.simplekv.acl.Selector;
import io.simplekv.acl.UserRules;

import java.util.List;

/**
 * Whether a user's rules let a request run (Redis's ACLCheckAllUserCommandPerm): some selector must allow the
 * command, every key it names with the access its key specs declare, and every channel it publishes or subscribes
 * to. Only users that are not {@link UserRules#unrestricted()} get here.
 */
final class AclCheck {
    private AclCheck() {}

    /** Why a request is refused, and the argument (key or channel) that was refused. */
    record Denial(AclLog.Reason reason, int argPos) {
        String message(CommandSpec spec) {
            return switch (reason) {
                case COMMAND -> "NOPERM this user has no permissions to run the '" + spec.fullName + "' command";
                case KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
                default -> "NOPERM this user has no permissions to access one of the channels used as arguments";
            };
        }

        /** EXEC's reason for a queued command the rules no longer allow (multi.c). */
        String execReason() {
            return switch (reason) {
                case COMMAND -> "no permission to execute the command or subcommand";
                case KEY -> "no permission to touch the specified keys";
                default -> "no permission to access one of the channels used as arguments";
            };
        }

        /** A script's redis.call refused (Redis's getAclErrorMessage). */
        String scriptMessage() {
            return "The user executing the script " + switch (reason) {
                case COMMAND -> "can't run this command or subcommand";
                case KEY -> "can't access at least one of the keys mentioned in the command arguments";
                default -> "can't publish to the channel mentioned in the command";
            };
        }
    }

    /** Null when allowed; else the denial of the selector that got furthest, as Redis picks the one to log. */
    static Denial check(UserRules rules, CommandSpec spec, byte[][] args) {
        AclLog.Reason worst = AclLog.Reason.COMMAND;
        int worstPos = 0;
        List<KeyRef> keys = null;
        for (Selector s : rules.selectors()) {
            AclLog.Reason reason = null;
            int pos = 0;
            if (!s.allCommands() && !spec.has(CommandFlag.NO_AUTH) && !s.allowsCommand(spec, args)) {
                reason = AclLog.Reason.COMMAND;
            }
            if (reason == null && !s.allKeys() && spec.keys().any()) {
                if (keys == null) keys = spec.keys().find(args);
                for (KeyRef k : keys) {
                    if (!s.allowsKey(args[k.pos()], needed(k))) {
                        reason = AclLog.Reason.KEY;
                        pos = k.pos();
                        break;
                    }
                }
            }
            if (reason == null && !s.allChannels()) {
                pos = deniedChannel(s, spec, args);
                if (pos > 0) reason = AclLog.Reason.CHANNEL;
            }
            if (reason == null) return null;
            if (reason.ordinal() > worst.ordinal() || (reason == worst && pos > worstPos)) {
                worst = reason;
                worstPos = pos;
            }
        }
        return new Denial(worst, worstPos);
    }

    /** Redis's ACLSelectorCheckKey: access needs read; insert, delete and update need write. */
    private static int needed(KeyRef k) {
        int needed = 0;
        if (k.flags().contains(KeySpec.Flag.ACCESS)) needed |= KeyPattern.READ;
        if (k.flags().contains(KeySpec.Flag.INSERT) || k.flags().contains(KeySpec.Flag.DELETE)
                || k.flags().contains(KeySpec.Flag.UPDATE)) {
            needed |= KeyPattern.WRITE;
        }
        return needed;
    }

    /**
     * The position of the first channel the selector refuses, or 0. As Redis's getChannelsFromCommand with the
     * publish and subscribe flags: PUBLISH and SPUBLISH name one channel, the SUBSCRIBEs name all their arguments;
     * unsubscribing is never refused.
     */
    private static int deniedChannel(Selector s, CommandSpec spec, byte[][] args) {
        int last;
        boolean pattern = false;
        switch (spec.fullName) {
            case "publish", "spublish" -> last = 1;
            case "subscribe", "ssubscribe" -> last = args.length - 1;
            case "psubscribe" -> {
                last = args.length - 1;
                pattern = true;
            }
            default -> {
                return 0;
            }
        }
        for (int i = 1; i <= last; i++) if (!s.allowsChannel(args[i], pattern)) return i;
        return 0;
    }
}
