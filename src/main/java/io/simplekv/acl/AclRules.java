package io.simplekv.acl;

import io.simplekv.text.ArgSplitter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Applies ACL SETUSER rules (Redis's ACLSetUser and ACLSetSelector) to a user's rules, all or nothing: the rules
 * are applied to a copy, and a failing one leaves the user as it was. Rule text is Latin-1, one char per byte, so
 * binary passwords and patterns survive.
 */
public final class AclRules {
    private final AclCommandSet commands;
    /** acl-pubsub-default: whether a new or reset selector starts with allchannels. */
    private final BooleanSupplier allChannelsByDefault;

    public AclRules(AclCommandSet commands, BooleanSupplier allChannelsByDefault) {
        this.commands = commands;
        this.allChannelsByDefault = allChannelsByDefault;
    }

    public AclCommandSet commands() {
        return commands;
    }

    /** A new user's rules, before any rule is applied. */
    public UserRules fresh() {
        return UserRules.fresh(allChannelsByDefault.getAsBoolean(), commands.idCount());
    }

    /**
     * Redis's ACLMergeSelectorArguments: a selector spread over several arguments ("(~a" "+get)") becomes one.
     * Throws, naming the argument that opens it, for a parenthesis never closed.
     */
    public static List<String> mergeSelectors(List<String> ops) throws AclRuleException {
        List<String> merged = new ArrayList<>();
        StringBuilder selector = null;
        String opening = null;
        for (String op : ops) {
            if (selector == null && op.startsWith("(") && !op.endsWith(")")) {
                selector = new StringBuilder(op);
                opening = op;
                continue;
            }
            if (selector != null) {
                selector.append(' ').append(op);
                if (op.endsWith(")")) {
                    merged.add(selector.toString());
                    selector = null;
                }
                continue;
            }
            merged.add(op);
        }
        if (selector != null) {
            throw new AclRuleException("Unmatched parenthesis in acl selector starting at '" + opening + "'.");
        }
        return merged;
    }

    /** The rules {@code ops} (already merged) make of {@code base}; throws naming the first rule that fails. */
    public UserRules apply(UserRules base, List<String> ops) throws AclRuleException {
        Draft d = new Draft(base);
        for (String op : ops) {
            try {
                d.apply(op);
            } catch (AclRuleException e) {
                throw e.in(op);
            }
        }
        return d.build();
    }

    /** A user's rules while they change. */
    private final class Draft {
        int flags;
        final List<String> passwords;
        final List<Selector> selectors = new ArrayList<>();

        Draft(UserRules from) {
            flags = from.flagBits();
            passwords = new ArrayList<>(from.passwords());
            for (Selector s : from.selectors()) selectors.add(s.copy());
        }

        UserRules build() {
            return new UserRules(flags, passwords, selectors);
        }

        void apply(String op) throws AclRuleException {
            if (op.isEmpty()) return;
            if (op.equalsIgnoreCase("on")) {
                flags = (flags | UserRules.ENABLED) & ~UserRules.DISABLED;
            } else if (op.equalsIgnoreCase("off")) {
                flags = (flags | UserRules.DISABLED) & ~UserRules.ENABLED;
            } else if (op.equalsIgnoreCase("skip-sanitize-payload")) {
                flags = (flags | UserRules.SKIP_SANITIZE) & ~UserRules.SANITIZE;
            } else if (op.equalsIgnoreCase("sanitize-payload")) {
                flags = (flags | UserRules.SANITIZE) & ~UserRules.SKIP_SANITIZE;
            } else if (op.equalsIgnoreCase("nopass")) {
                flags |= UserRules.NOPASS;
                passwords.clear();
            } else if (op.equalsIgnoreCase("resetpass")) {
                flags &= ~UserRules.NOPASS;
                passwords.clear();
            } else if (op.charAt(0) == '>' || op.charAt(0) == '#') {
                String hash = passwordHash(op);
                if (!passwords.contains(hash)) passwords.add(hash);
                flags &= ~UserRules.NOPASS;
            } else if (op.charAt(0) == '<' || op.charAt(0) == '!') {
                if (!passwords.remove(passwordHash(op))) {
                    throw new AclRuleException("The password you are trying to remove from the user does not exist");
                }
            } else if (op.charAt(0) == '(' && op.endsWith(")")) {
                selectors.add(selectorOf(op.substring(1, op.length() - 1)));
            } else if (op.equalsIgnoreCase("clearselectors")) {
                selectors.subList(1, selectors.size()).clear();
            } else if (op.equalsIgnoreCase("reset")) {
                for (String r : List.of("resetpass", "resetkeys", "resetchannels")) apply(r);
                if (allChannelsByDefault.getAsBoolean()) apply("allchannels");
                for (String r : List.of("off", "sanitize-payload", "clearselectors", "-@all")) apply(r);
            } else {
                selectors.get(0).apply(op, commands);
            }
        }

        private String passwordHash(String op) throws AclRuleException {
            String rest = op.substring(1);
            if (op.charAt(0) == '>' || op.charAt(0) == '<') return Passwords.hash(rest.getBytes(StandardCharsets.ISO_8859_1));
            if (!Passwords.isHash(rest)) {
                throw new AclRuleException("The password hash must be exactly 64 characters and contain only "
                        + "lowercase hexadecimal characters");
            }
            return rest;
        }

        private Selector selectorOf(String inside) throws AclRuleException {
            Selector s = new Selector(false, allChannelsByDefault.getAsBoolean(), commands.idCount());
            List<byte[]> words = ArgSplitter.split(inside.getBytes(StandardCharsets.ISO_8859_1));
            if (words == null) return s;
            for (byte[] w : words) s.apply(new String(w, StandardCharsets.ISO_8859_1), commands);
            return s;
        }
    }
}
