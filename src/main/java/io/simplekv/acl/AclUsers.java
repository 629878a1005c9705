package io.simplekv.acl;

import io.simplekv.text.ArgSplitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The users of one server (Redis's Users rax and DefaultUser), owned by its ServerContext. Reads are lock-free;
 * changes are serialised. The default user is one object for the server's life: ACL LOAD and requirepass change
 * its rules in place, as Redis copies into DefaultUser, so sessions authenticated as it stay so.
 */
public final class AclUsers {
    public static final String DEFAULT = "default";

    private final AclRules rules;
    /** By name in byte order (Latin-1 strings compare as their bytes), the order ACL LIST and USERS reply in. */
    private final ConcurrentSkipListMap<String, User> users = new ConcurrentSkipListMap<>();
    private final User defaultUser;

    public AclUsers(AclRules rules) {
        this.rules = rules;
        this.defaultUser = new User(DEFAULT, defaultRules());
        users.put(DEFAULT, defaultUser);
    }

    private UserRules defaultRules() {
        try {
            return rules.apply(UserRules.fresh(false, rules.commands().idCount()), List.of("+@all", "~*", "&*", "on", "nopass"));
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
    }

    public AclRules rules() {
        return rules;
    }

    public User defaultUser() {
        return defaultUser;
    }

    /** Redis's authRequired: a new client must AUTH unless the default user is on and takes any password. */
    public boolean authRequired() {
        UserRules d = defaultUser.rules();
        return !d.nopass() || !d.enabled();
    }

    public User get(String name) {
        return users.get(name);
    }

    public Collection<User> all() {
        return users.values();
    }

    /** The user these credentials open, or null (no such user, disabled, or a wrong password). */
    public User authenticate(String name, byte[] password) {
        User u = users.get(name);
        if (u == null) return null;
        UserRules r = u.rules();
        return r.enabled() && r.accepts(password) ? u : null;
    }

    /**
     * ACL SETUSER: applies the rules to the user, made if missing, all or nothing. Returns the user's rules before
     * (null for a new user), so the caller can disconnect its subscribers that lost a channel.
     */
    public synchronized UserRules setUser(String name, List<String> ops) throws AclRuleException {
        List<String> merged = AclRules.mergeSelectors(ops);
        User u = users.get(name);
        UserRules before = u == null ? null : u.rules();
        UserRules after = rules.apply(before == null ? rules.fresh() : before, merged);
        if (u == null) users.put(name, new User(name, after));
        else u.rules(after);
        return before;
    }

    /** ACL DELUSER of one name (never "default"); returns the user removed, whose sessions must go, or null. */
    public synchronized User delete(String name) {
        if (name.equals(DEFAULT)) throw new IllegalArgumentException("the default user stays");
        return users.remove(name);
    }

    /** requirepass (Redis's ACLUpdateDefaultUserPassword): "" makes the default user nopass again. */
    public synchronized void defaultPassword(String password) {
        List<String> ops = password.isEmpty() ? List.of("resetpass", "nopass") : List.of("resetpass", ">" + password);
        try {
            defaultUser.rules(rules.apply(defaultUser.rules(), ops));
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The users of a config file's "user" lines (Redis's ACLLoadConfiguredUsers), each line's words after "user".
     * Throws with Redis's log text for the first bad one; a "default" line resets the default user first.
     */
    public synchronized void loadConfigured(List<List<String>> lines) throws AclRuleException {
        for (List<String> line : lines) {
            String name = line.get(0);
            if (Selector.hasSpaces(name)) throw new AclRuleException("Spaces not allowed in ACL usernames");
            List<String> ops = AclRules.mergeSelectors(line.subList(1, line.size()));
            UserRules base = name.equals(DEFAULT) ? rules.apply(defaultUser.rules(), List.of("reset")) : rules.fresh();
            UserRules built;
            try {
                built = rules.apply(base, ops);
            } catch (AclRuleException e) {
                throw new AclRuleException("Error loading ACL rule '" + e.op() + "' for the user named '" + name
                        + "': " + e.getMessage());
            }
            if (name.equals(DEFAULT)) defaultUser.rules(built);
            else users.put(name, new User(name, built));
        }
    }

    /**
     * ACL LOAD and aclfile at startup (Redis's ACLLoadFromFile): every line is checked before anything changes;
     * returns null when loaded, or Redis's one-line error report. {@code replaced} receives the users that are
     * gone or replaced, whose sessions must be disconnected. {@code name} is the file as configured, which the
     * report names.
     */
    public synchronized String loadFile(Path file, String name, List<User> replaced) {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "Error loading ACLs, opening file '" + name + "': " + ioReason(e);
        }
        StringBuilder errors = new StringBuilder();
        Map<String, UserRules> loaded = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            List<String> words = new ArrayList<>();
            for (String w : line.split(" ")) if (!w.isEmpty()) words.add(w);
            if (words.isEmpty()) continue;
            if (!words.get(0).equals("user") || words.size() < 2) {
                errors.append(name).append(':').append(lineNumber)
                        .append(" should start with user keyword followed by the username. ");
                continue;
            }
            String user = words.get(1);
            if (loaded.containsKey(user)) {
                errors.append("WARNING: Duplicate user '").append(user).append("' found on line ").append(lineNumber).append(". ");
                continue;
            }
            List<String> ops;
            try {
                ops = AclRules.mergeSelectors(words.subList(2, words.size()));
            } catch (AclRuleException e) {
                errors.append(name).append(':').append(lineNumber).append(": Unmatched parenthesis in selector definition.");
                continue;
            }
            UserRules r = rules.fresh();
            boolean syntaxError = false;
            for (String op : ops) {
                try {
                    r = rules.apply(r, List.of(op.strip()));
                } catch (AclRuleException e) {
                    if (e.unknownName()) {
                        errors.append(name).append(':').append(lineNumber).append(": Error in applying operation '")
                                .append(op).append("': ").append(e.getMessage()).append(". ");
                    } else if (!syntaxError) {
                        errors.append(name).append(':').append(lineNumber).append(": ").append(e.getMessage()).append(". ");
                        syntaxError = true;
                    }
                }
            }
            loaded.put(user, r);
        }
        if (errors.length() > 0) {
            return errors.append("WARNING: ACL errors detected, no change to the previously active ACL rules was performed").toString();
        }
        for (User u : users.values()) if (u != defaultUser) replaced.add(u);
        users.keySet().removeIf(n -> !n.equals(DEFAULT));
        defaultUser.rules(loaded.containsKey(DEFAULT) ? loaded.remove(DEFAULT) : defaultRules());
        loaded.forEach((user, r) -> users.put(user, new User(user, r)));
        return null;
    }

    private static String ioReason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "No such file or directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied";
        return e.getMessage();
    }

    /** ACL SAVE: every user as a "user name rules" line, written to a temporary file renamed over the old one. */
    public synchronized void saveFile(Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        for (User u : users.values()) {
            b.append("user ").append(u.name()).append(' ').append(u.rules().describe(rules.commands())).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis());
        try {
            Files.write(tmp, b.toString().getBytes(StandardCharsets.ISO_8859_1));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A "user ..." config line's words after "user", split as redis.conf splits them. */
    public static List<String> words(byte[] line) {
        List<byte[]> raw = ArgSplitter.split(line);
        List<String> out = new ArrayList<>();
        if (raw != null) for (byte[] w : raw) out.add(new String(w, StandardCharsets.ISO_8859_1));
        return out;
    }
}
