package io.simplekv.acl;

/**
 * A user by identity: its name and its current rules. ACL SETUSER swaps the rules, and every session
 * authenticated as the user sees the change at its next command, as Redis's clients share the user struct.
 */
public final class User {
    private final String name;
    private volatile UserRules rules;

    User(String name, UserRules rules) {
        this.name = name;
        this.rules = rules;
    }

    public String name() {
        return name;
    }

    public UserRules rules() {
        return rules;
    }

    void rules(UserRules rules) {
        this.rules = rules;
    }

    /** The request path's one test: true when this user may run anything, so no further check is needed. */
    public boolean unrestricted() {
        return rules.unrestricted();
    }
}
