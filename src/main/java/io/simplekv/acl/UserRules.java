package io.simplekv.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a user is allowed, as one immutable snapshot: flags, password hashes and selectors (the root first).
 * {@link AclRules} makes a new one for every change; sessions read the current one without locks.
 */
public final class UserRules {
    static final int ENABLED = 1, DISABLED = 2, NOPASS = 4, SKIP_SANITIZE = 8, SANITIZE = 16;
    /** Redis's ACLUserFlags, in the order ACL LIST and GETUSER show them. */
    private static final String[] FLAG_NAMES = {"on", "off", "nopass", "skip-sanitize-payload", "sanitize-payload"};

    private final int flags;
    private final List<String> passwords;
    private final List<Selector> selectors;
    private final boolean unrestricted;

    UserRules(int flags, List<String> passwords, List<Selector> selectors) {
        this.flags = flags;
        this.passwords = List.copyOf(passwords);
        this.selectors = List.copyOf(selectors);
        Selector root = this.selectors.get(0);
        this.unrestricted = root.allCommands() && root.allKeys() && root.allChannels();
    }

    /** A new user's rules: off, no password, nothing allowed (channels per acl-pubsub-default). */
    static UserRules fresh(boolean allChannels, int idCount) {
        return new UserRules(DISABLED, List.of(), List.of(new Selector(true, allChannels, idCount)));
    }

    /** Whether the root selector allows every command, key and channel: the request path then checks nothing. */
    public boolean unrestricted() {
        return unrestricted;
    }

    public boolean enabled() {
        return (flags & DISABLED) == 0;
    }

    public boolean nopass() {
        return (flags & NOPASS) != 0;
    }

    int flagBits() {
        return flags;
    }

    public List<String> flagNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FLAG_NAMES.length; i++) if ((flags & (1 << i)) != 0) names.add(FLAG_NAMES[i]);
        return names;
    }

    /** SHA-256 hex of each password, in the order they were added. */
    public List<String> passwords() {
        return passwords;
    }

    public List<Selector> selectors() {
        return selectors;
    }

    public Selector root() {
        return selectors.get(0);
    }

    /** Whether the password opens this user (nopass: any does); compared by hash in constant time. */
    public boolean accepts(byte[] password) {
        if (nopass()) return true;
        String hashed = Passwords.hash(password);
        boolean ok = false;
        for (String p : passwords) ok |= Passwords.sameHash(hashed, p);
        return ok;
    }

    /** Redis's ACLDescribeUser: the rules that rebuild this user, as ACL LIST and the ACL file have them. */
    public String describe(AclCommandSet commands) {
        StringBuilder b = new StringBuilder();
        for (String f : flagNames()) b.append(f).append(' ');
        for (String p : passwords) b.append('#').append(p).append(' ');
        for (Selector s : selectors) {
            if (s.isRoot()) b.append(s.describe(commands));
            else b.append(" (").append(s.describe(commands)).append(')');
        }
        return b.toString();
    }
}
