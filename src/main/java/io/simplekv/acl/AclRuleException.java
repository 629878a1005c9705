package io.simplekv.acl;

/** A rule that can't be applied; the message is Redis's ACLSetUserStringError text for it, op the rule itself. */
public final class AclRuleException extends Exception {
    /** Redis's ENOENT: an unknown command or category, which checking a config file's users tolerates. */
    private final boolean unknownName;
    private final String op;

    AclRuleException(String message) {
        this(message, false, null);
    }

    private AclRuleException(String message, boolean unknownName, String op) {
        super(message, null, false, false);
        this.unknownName = unknownName;
        this.op = op;
    }

    static AclRuleException unknownCommandOrCategory() {
        return new AclRuleException("Unknown command or category name in ACL", true, null);
    }

    static AclRuleException syntax() {
        return new AclRuleException("Syntax error");
    }

    /** The same failure, naming the rule it happened in. */
    AclRuleException in(String rule) {
        return new AclRuleException(getMessage(), unknownName, rule);
    }

    public boolean unknownName() {
        return unknownName;
    }

    /** The rule that failed (a whole selector "(...)" for a failure inside one); null if not known. */
    public String op() {
        return op;
    }

    /** ACL SETUSER's error text (a selector left open is reported as it stands, naming no rule). */
    public String setUserError() {
        return op == null ? "ERR " + getMessage() : "ERR Error in ACL SETUSER modifier '" + op + "': " + getMessage();
    }
}
