package io.simplekv.acl;

import io.simplekv.text.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One set of permissions (Redis's aclSelector): which commands, keys and channels it grants. A user has a root
 * selector and may have more, in parentheses; a command runs when any one of them allows all of it. A selector is
 * changed only while a user's new rules are being built ({@link AclRules}); once published in {@link UserRules} it
 * is never changed again, so checks read it without locks.
 */
public final class Selector {
    private final boolean root;
    private final long[] commandBits;
    /** Redis's SELECTOR_FLAG_ALLCOMMANDS: cleared by any command taken away, so the bitmap must be consulted. */
    private boolean allCommands;
    /** Redis's reserved "future commands" bit: set only by +@all, so ACL LIST starts from +@all rather than -@all. */
    private boolean futureCommands;
    /** By command id, the first arguments allowed for a command whose bit is off ("+select|0"); null when none. */
    private Map<Integer, List<String>> firstArgs;
    private final List<KeyPattern> keys = new ArrayList<>();
    private boolean allKeys;
    private final List<String> channels = new ArrayList<>();
    private boolean allChannels;

    Selector(boolean root, boolean allChannels, int idCount) {
        this.root = root;
        this.commandBits = new long[(idCount + 63) / 64];
        this.allChannels = allChannels;
    }

    private Selector(Selector from) {
        this.root = from.root;
        this.commandBits = from.commandBits.clone();
        this.allCommands = from.allCommands;
        this.futureCommands = from.futureCommands;
        if (from.firstArgs != null) {
            this.firstArgs = new HashMap<>();
            from.firstArgs.forEach((id, args) -> firstArgs.put(id, new ArrayList<>(args)));
        }
        this.keys.addAll(from.keys);
        this.allKeys = from.allKeys;
        this.channels.addAll(from.channels);
        this.allChannels = from.allChannels;
    }

    Selector copy() {
        return new Selector(this);
    }

    public boolean isRoot() {
        return root;
    }

    public boolean allCommands() {
        return allCommands;
    }

    public boolean allKeys() {
        return allKeys;
    }

    public boolean allChannels() {
        return allChannels;
    }

    // ---- applying a rule (Redis's ACLSetSelector) ----

    void apply(String op, AclCommandSet commands) throws AclRuleException {
        if (op.equalsIgnoreCase("allkeys") || op.equals("~*")) {
            allKeys = true;
            keys.clear();
        } else if (op.equalsIgnoreCase("resetkeys")) {
            allKeys = false;
            keys.clear();
        } else if (op.equalsIgnoreCase("allchannels") || op.equals("&*")) {
            allChannels = true;
            channels.clear();
        } else if (op.equalsIgnoreCase("resetchannels")) {
            allChannels = false;
            channels.clear();
        } else if (op.equalsIgnoreCase("allcommands") || op.equalsIgnoreCase("+@all")) {
            java.util.Arrays.fill(commandBits, -1L);
            allCommands = true;
            futureCommands = true;
            firstArgs = null;
        } else if (op.equalsIgnoreCase("nocommands") || op.equalsIgnoreCase("-@all")) {
            java.util.Arrays.fill(commandBits, 0L);
            allCommands = false;
            futureCommands = false;
            firstArgs = null;
        } else if (op.startsWith("~") || op.startsWith("%")) {
            addKeyPattern(op);
        } else if (op.startsWith("&")) {
            if (allChannels) {
                throw new AclRuleException("Adding a pattern after the * pattern (or the 'allchannels' flag) is not "
                        + "valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels");
            }
            String pattern = op.substring(1);
            if (hasSpaces(pattern)) throw AclRuleException.syntax();
            if (!channels.contains(pattern)) channels.add(pattern);
            allChannels = false;
        } else if (op.startsWith("+") && !op.startsWith("+@")) {
            allow(op.substring(1), commands);
        } else if (op.startsWith("-") && !op.startsWith("-@")) {
            AclCommand cmd = commands.aclLookup(op.substring(1));
            if (cmd == null) throw AclRuleException.unknownCommandOrCategory();
            changePermission(cmd, false);
        } else if (op.startsWith("+@") || op.startsWith("-@")) {
            int category = AclCommandSet.categoryBit(op.substring(2));
            if (category < 0) throw AclRuleException.unknownCommandOrCategory();
            setCategory(commands.aclCommands(), 1L << category, op.charAt(0) == '+');
        } else {
            throw AclRuleException.syntax();
        }
    }

    private void addKeyPattern(String op) throws AclRuleException {
        if (allKeys) {
            throw new AclRuleException("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid "
                    + "and does not have any effect. Try 'resetkeys' to start with an empty list of patterns");
        }
        int permissions = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            for (; offset < op.length(); offset++) {
                char c = Character.toUpperCase(op.charAt(offset));
                if (c == 'R' && (permissions & KeyPattern.READ) == 0) {
                    permissions |= KeyPattern.READ;
                } else if (c == 'W' && (permissions & KeyPattern.WRITE) == 0) {
                    permissions |= KeyPattern.WRITE;
                } else if (op.charAt(offset) == '~') {
                    offset++;
                    break;
                } else {
                    throw AclRuleException.syntax();
                }
            }
        } else {
            permissions = KeyPattern.ALL;
        }
        String pattern = op.substring(Math.min(offset, op.length()));
        if (hasSpaces(pattern)) throw AclRuleException.syntax();
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).pattern().equals(pattern)) {
                keys.set(i, keys.get(i).widen(permissions));
                allKeys = false;
                return;
            }
        }
        keys.add(new KeyPattern(pattern, permissions));
        allKeys = false;
    }

    /** "+cmd", "+container|sub", or "+cmd|firstarg" for a command without subcommands. */
    private void allow(String name, AclCommandSet commands) throws AclRuleException {
        int bar = name.lastIndexOf('|');
        if (bar < 0) {
            AclCommand cmd = commands.aclLookup(name);
            if (cmd == null) throw AclRuleException.unknownCommandOrCategory();
            changePermission(cmd, true);
            return;
        }
        AclCommand cmd = commands.aclLookup(name.substring(0, bar));
        if (cmd == null) throw AclRuleException.unknownCommandOrCategory();
        if (cmd.isSubcommand()) throw new AclRuleException("Allowing first-arg of a subcommand is not supported");
        String sub = name.substring(bar + 1);
        if (sub.isEmpty()) throw AclRuleException.syntax();
        if (!cmd.aclSubcommands().isEmpty()) {
            AclCommand subcommand = commands.aclLookup(name);
            if (subcommand == null) throw AclRuleException.unknownCommandOrCategory();
            changePermission(subcommand, true);
        } else {
            if (firstArgs == null) firstArgs = new HashMap<>();
            List<String> allowed = firstArgs.computeIfAbsent(cmd.aclId(), id -> new ArrayList<>());
            for (String a : allowed) if (a.equalsIgnoreCase(sub)) return;
            allowed.add(sub);
        }
    }

    /** Redis's ACLChangeSelectorPerm: a container's permission goes to all its subcommands too. */
    private void changePermission(AclCommand cmd, boolean allow) {
        setBit(cmd.aclId(), allow);
        if (firstArgs != null) firstArgs.remove(cmd.aclId());
        for (AclCommand sub : cmd.aclSubcommands()) setBit(sub.aclId(), allow);
    }

    private void setCategory(List<? extends AclCommand> commands, long category, boolean allow) {
        for (AclCommand cmd : commands) {
            if ((cmd.aclCategoryBits() & category) != 0) changePermission(cmd, allow);
            if (!cmd.aclSubcommands().isEmpty()) setCategory(cmd.aclSubcommands(), category, allow);
        }
    }

    private void setBit(int id, boolean on) {
        if (on) {
            commandBits[id >>> 6] |= 1L << id;
        } else {
            commandBits[id >>> 6] &= ~(1L << id);
            allCommands = false;
        }
    }

    private boolean bit(int id) {
        return (commandBits[id >>> 6] & (1L << id)) != 0;
    }

    /** Redis's ACLStringHasSpaces: no whitespace or NUL in a pattern or a user name. */
    public static boolean hasSpaces(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c == ' ' || (c >= '\t' && c <= '\r')) return true;
        }
        return false;
    }

    // ---- checks (Redis's ACLSelectorCheckCmd, ACLSelectorCheckKey, ACLCheckChannelAgainstList) ----

    /** Whether the command itself may run (its keys and channels are checked apart). */
    public boolean allowsCommand(AclCommand cmd, byte[][] args) {
        if (allCommands || bit(cmd.aclId())) return true;
        if (args.length < 2 || firstArgs == null) return false;
        List<String> allowed = firstArgs.get(cmd.aclId());
        if (allowed == null) return false;
        String first = new String(args[cmd.isSubcommand() ? 2 : 1], StandardCharsets.ISO_8859_1);
        for (String a : allowed) if (a.equalsIgnoreCase(first)) return true;
        return false;
    }

    /** Whether a key may be touched with the {@link KeyPattern#READ}/{@link KeyPattern#WRITE} permissions needed. */
    public boolean allowsKey(byte[] key, int needed) {
        if (allKeys) return true;
        for (KeyPattern p : keys) if (p.grants(key, needed)) return true;
        return false;
    }

    /**
     * Whether a channel may be used. A channel name matches the ACL patterns as globs; a PSUBSCRIBE pattern only
     * matches one of them literally, so a pattern can't reach wider than what was granted.
     */
    public boolean allowsChannel(byte[] channel, boolean isPattern) {
        if (allChannels) return true;
        String name = new String(channel, StandardCharsets.ISO_8859_1);
        for (String p : channels) {
            if (isPattern ? p.equals(name) : Glob.matches(p.getBytes(StandardCharsets.ISO_8859_1), channel)) return true;
        }
        return false;
    }

    /** Redis's ACLCheckChannelAgainstList over this selector's channel patterns alone (allchannels not counted). */
    boolean listedChannel(String channel, boolean isPattern) {
        return allowsChannelIn(channels, channel, isPattern);
    }

    static boolean allowsChannelIn(List<String> patterns, String channel, boolean isPattern) {
        byte[] bytes = channel.getBytes(StandardCharsets.ISO_8859_1);
        for (String p : patterns) {
            if (isPattern ? p.equals(channel) : Glob.matches(p.getBytes(StandardCharsets.ISO_8859_1), bytes)) return true;
        }
        return false;
    }

    List<String> channels() {
        return List.copyOf(channels);
    }

    // ---- descriptions (ACL LIST, ACL GETUSER, ACL SAVE) ----

    /** Redis's ACLDescribeSelector: keys, channels, then the command rules. */
    public String describe(AclCommandSet commands) {
        StringBuilder b = new StringBuilder();
        if (allKeys) {
            b.append("~* ");
        } else {
            for (KeyPattern p : keys) b.append(p.describe()).append(' ');
        }
        if (allChannels) {
            b.append("&* ");
        } else {
            b.append("resetchannels ");
            for (String c : channels) b.append('&').append(c).append(' ');
        }
        return b.append(commandRules(commands)).toString();
    }

    /** GETUSER's "keys": the patterns separated by spaces, "~*" for all keys. */
    public String keysDescription() {
        if (allKeys) return "~*";
        StringBuilder b = new StringBuilder();
        for (KeyPattern p : keys) {
            if (b.length() > 0) b.append(' ');
            b.append(p.describe());
        }
        return b.toString();
    }

    /** GETUSER's "channels": "&*" for all channels, else each pattern with its "&". */
    public String channelsDescription() {
        if (allChannels) return "&*";
        StringBuilder b = new StringBuilder();
        for (String c : channels) {
            if (b.length() > 0) b.append(' ');
            b.append('&').append(c);
        }
        return b.toString();
    }

    /**
     * Redis's ACLDescribeSelectorCommandRules: +@all or -@all, then the categories that best fit the bitmap, each
     * applied to a fake selector as it is chosen, then the single commands (and first arguments) still different.
     */
    public String commandRules(AclCommandSet commands) {
        StringBuilder rules = new StringBuilder();
        boolean additive = !futureCommands;
        Selector fake = new Selector(false, false, commandBits.length * 64);
        try {
            String start = additive ? "-@all" : "+@all";
            rules.append(start).append(' ');
            fake.apply(start, commands);
            Selector temp = new Selector(false, false, commandBits.length * 64);
            System.arraycopy(commandBits, 0, temp.commandBits, 0, commandBits.length);
            boolean[] applied = new boolean[AclCommandSet.CATEGORIES.size()];
            while (true) {
                int best = -1;
                long minDiff = Integer.MAX_VALUE, maxSame = 0;
                for (int j = 0; j < applied.length; j++) {
                    if (applied[j]) continue;
                    long[] onOff = new long[2];
                    temp.countCategory(commands.aclCommands(), 1L << j, onOff);
                    long diff = additive ? onOff[1] : onOff[0];
                    long same = additive ? onOff[0] : onOff[1];
                    if (same > diff && (diff < minDiff || (diff == minDiff && same > maxSame))) {
                        best = j;
                        minDiff = diff;
                        maxSame = same;
                    }
                }
                if (best == -1) break;
                String name = AclCommandSet.CATEGORIES.get(best);
                String op = (additive ? "+@" : "-@") + name;
                fake.apply(op, commands);
                temp.apply((additive ? "-@" : "+@") + name, commands);
                rules.append(op).append(' ');
                applied[best] = true;
            }
        } catch (AclRuleException e) {
            throw new IllegalStateException("a category of the table is unknown to ACL", e);
        }
        singleCommands(commands.aclCommands(), fake, rules);
        rules.setLength(rules.length() - 1);
        return rules.toString();
    }

    private void countCategory(List<? extends AclCommand> commands, long category, long[] onOff) {
        for (AclCommand cmd : commands) {
            if ((cmd.aclCategoryBits() & category) != 0) onOff[bit(cmd.aclId()) ? 0 : 1]++;
            if (!cmd.aclSubcommands().isEmpty()) countCategory(cmd.aclSubcommands(), category, onOff);
        }
    }

    private void singleCommands(List<? extends AclCommand> commands, Selector fake, StringBuilder rules) {
        for (AclCommand cmd : commands) {
            boolean mine = bit(cmd.aclId());
            if (mine != fake.bit(cmd.aclId())) {
                rules.append(mine ? '+' : '-').append(cmd.fullName()).append(' ');
                fake.changePermission(cmd, mine);
            }
            if (!cmd.aclSubcommands().isEmpty()) singleCommands(cmd.aclSubcommands(), fake, rules);
            List<String> allowed = firstArgs == null ? null : firstArgs.get(cmd.aclId());
            if (!mine && allowed != null) {
                for (String a : allowed) rules.append('+').append(cmd.fullName()).append('|').append(a).append(' ');
            }
        }
    }
}
