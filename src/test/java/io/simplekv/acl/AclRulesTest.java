package io.simplekv.acl;

import io.simplekv.command.CommandTable;
import io.simplekv.server.CommandGroups;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules applied to a user and described back. Every expected description is ACL LIST's text from redis-server
 * 7.0.15 for the same ACL SETUSER (where Redis lists single commands in its hash table's order, which changes per
 * process, we list them by name: noted where it matters).
 */
class AclRulesTest {
    private static final CommandTable TABLE = CommandGroups.table();
    private boolean allChannelsByDefault;
    private final AclRules rules = new AclRules(TABLE, () -> allChannelsByDefault);

    private UserRules user(String ruleText) throws AclRuleException {
        return rules.apply(rules.fresh(), AclRules.mergeSelectors(Arrays.asList(ruleText.split(" "))));
    }

    private String described(String ruleText) throws AclRuleException {
        return user(ruleText).describe(TABLE);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void describesAsRedisLists() throws AclRuleException {
        assertEquals("on #148de9c5a7a44d19e56cd9ae1a554bf67847afb0c58f6e12fa29ac7ddfca9940 ~* resetchannels +@all -get",
                described("on >p ~* +@all -get"));
        assertEquals("off resetchannels -@all +@read -get", described("+@read -get"));
        assertEquals("off resetchannels +@all -@dangerous", described("+@all -@dangerous"));
        assertEquals("off resetchannels -@all +select|0 +select|1", described("+select|0 +select|1"));
        assertEquals("off resetchannels -@all +config|get", described("+config|get"));
        assertEquals("off resetchannels -@all +config -config|set", described("+config -config|set"));
        assertEquals("off ~a %R~b resetchannels -@all", described("%R~a %W~a %R~b"));
        assertEquals("off ~k resetchannels &c* -@all (~x resetchannels -@all +get) (%W~y resetchannels &z -@all +set)",
                described("&c* ~k (~x +get) (%W~y +set &z)"));
        assertEquals("off nopass resetchannels -@all",
                described("#f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a nopass"));
        assertEquals("off resetchannels -@all +@set +@hash -hset", described("+@hash +@set -hset"));
        assertEquals("off sanitize-payload resetchannels -@all", described("reset"));
        assertEquals("off ~* &* +@all", described("allkeys allchannels allcommands off"));
        assertEquals("off skip-sanitize-payload resetchannels -@all", described("skip-sanitize-payload"));
        // Redis: "+lcs +strlen +get +mget +getrange +substr", its hash order; the same set.
        assertEquals("off resetchannels -@all +get +getrange +lcs +mget +strlen +substr", described("+@string -@write"));
    }

    @Test
    void aclPubsubDefaultDecidesANewUsersChannels() throws AclRuleException {
        allChannelsByDefault = true;
        assertEquals("off &* -@all", described(""));
        assertEquals("off sanitize-payload &* -@all", described("resetchannels &x reset"));
    }

    @Test
    void passwordsAreKeptAsSha256AndCheckedByHash() throws AclRuleException {
        UserRules u = user("on >p1 >p2 <p1");
        assertEquals(List.of(Passwords.hash(b("p2"))), u.passwords());
        assertTrue(u.accepts(b("p2")));
        assertFalse(u.accepts(b("p1")));
        assertTrue(user("on nopass").accepts(b("anything")));
        assertFalse(user("nopass resetpass").accepts(b("")));
        assertEquals("f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a", Passwords.hash(b("p1")));
        assertEquals(List.of(), user(">p1 !f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a").passwords());
    }

    private String error(String ruleText) {
        return assertThrows(AclRuleException.class, () -> user(ruleText)).setUserError();
    }

    @Test
    void errorsAreRedisTexts() {
        assertEquals("ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL", error("+nosuch"));
        assertEquals("ERR Error in ACL SETUSER modifier '-@nosuch': Unknown command or category name in ACL", error("-@nosuch"));
        assertEquals("ERR Error in ACL SETUSER modifier '~b': Adding a pattern after the * pattern (or the 'allkeys' "
                + "flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of "
                + "patterns", error("~a allkeys ~b"));
        assertEquals("ERR Error in ACL SETUSER modifier '&b': Adding a pattern after the * pattern (or the "
                + "'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an "
                + "empty list of channels", error("allchannels &b"));
        assertEquals("ERR Error in ACL SETUSER modifier '<nope': The password you are trying to remove from the user "
                + "does not exist", error("<nope"));
        assertEquals("ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 characters and "
                + "contain only lowercase hexadecimal characters", error("#abc"));
        assertEquals("ERR Error in ACL SETUSER modifier 'config|get|x': Allowing first-arg of a subcommand is not "
                + "supported", error("+config|get|x").replace("'+", "'"));
        assertEquals("ERR Error in ACL SETUSER modifier 'bogus': Syntax error", error("bogus"));
        assertEquals("ERR Error in ACL SETUSER modifier '%X~a': Syntax error", error("%X~a"));
        assertEquals("ERR Error in ACL SETUSER modifier '+select|': Syntax error", error("+select|"));
        assertEquals("ERR Unmatched parenthesis in acl selector starting at '(~a'.", error("(~a +get"));
        assertEquals("ERR Error in ACL SETUSER modifier '(~a bogus)': Syntax error", error("(~a bogus)"));
    }

    @Test
    void aFailingRuleLeavesTheUserAsItWas() throws AclRuleException {
        UserRules before = user("on >p ~a +get");
        assertThrows(AclRuleException.class, () -> rules.apply(before, List.of("+set", "+nosuch")));
        assertEquals("on #148de9c5a7a44d19e56cd9ae1a554bf67847afb0c58f6e12fa29ac7ddfca9940 ~a resetchannels -@all +get",
                before.describe(TABLE));
    }

    @Test
    void commandsKeysAndChannelsAreCheckedPerSelector() throws AclRuleException {
        UserRules u = user("%R~r:* %W~w:* &news.* +get +select|0");
        Selector root = u.root();
        byte[][] select0 = {b("select"), b("0")};
        byte[][] select1 = {b("select"), b("1")};
        assertTrue(root.allowsCommand(TABLE.aclLookup("get"), new byte[][] {b("get"), b("k")}));
        assertFalse(root.allowsCommand(TABLE.aclLookup("set"), new byte[][] {b("set"), b("k"), b("v")}));
        assertTrue(root.allowsCommand(TABLE.aclLookup("select"), select0));
        assertFalse(root.allowsCommand(TABLE.aclLookup("select"), select1));
        assertTrue(root.allowsKey(b("r:1"), KeyPattern.READ));
        assertFalse(root.allowsKey(b("r:1"), KeyPattern.WRITE));
        assertTrue(root.allowsKey(b("w:1"), KeyPattern.WRITE));
        assertFalse(root.allowsKey(b("w:1"), KeyPattern.READ | KeyPattern.WRITE));
        assertTrue(root.allowsChannel(b("news.today"), false));
        assertFalse(root.allowsChannel(b("sport"), false));
        // A PSUBSCRIBE pattern must be one of the ACL patterns as written: news.t* would reach no further, but
        // Redis compares literally.
        assertTrue(root.allowsChannel(b("news.*"), true));
        assertFalse(root.allowsChannel(b("news.t*"), true));
        assertFalse(u.unrestricted());
        assertTrue(user("+@all ~* &*").unrestricted());
        assertFalse(user("+@all ~* &* -get").unrestricted());
    }

    @Test
    void aContainersRuleCoversItsSubcommands() throws AclRuleException {
        Selector s = user("+config -config|set").root();
        assertTrue(s.allowsCommand(TABLE.aclLookup("config|get"), new byte[][] {b("config"), b("get"), b("x")}));
        assertFalse(s.allowsCommand(TABLE.aclLookup("config|set"), new byte[][] {b("config"), b("set"), b("x"), b("y")}));
    }

    @Test
    void selectorArgumentsAreMerged() throws AclRuleException {
        assertEquals(List.of("on", "(~a +get)", "+set"), AclRules.mergeSelectors(List.of("on", "(~a", "+get)", "+set")));
        assertNull(user("(~a +get)").selectors().get(1).isRoot() ? "root" : null);
        assertEquals(2, user("(~a +get) clearselectors (~b)").selectors().size());
    }
}
