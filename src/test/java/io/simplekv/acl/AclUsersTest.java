package io.simplekv.acl;

import io.simplekv.command.CommandTable;
import io.simplekv.server.CommandGroups;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user registry: the default user, authentication, config-file users. */
class AclUsersTest {
    private static final CommandTable TABLE = CommandGroups.table();
    private final AclUsers users = new AclUsers(new AclRules(TABLE, () -> false));

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theDefaultUserAllowsEverythingUntilGivenAPassword() {
        assertEquals("on nopass ~* &* +@all", users.defaultUser().rules().describe(TABLE));
        assertTrue(users.defaultUser().unrestricted());
        assertFalse(users.authRequired());
        users.defaultPassword("pw");
        assertTrue(users.authRequired());
        assertNull(users.authenticate("default", b("nope")));
        assertSame(users.defaultUser(), users.authenticate("default", b("pw")));
        users.defaultPassword("");
        assertFalse(users.authRequired());
    }

    @Test
    void aDisabledUserCannotAuthenticate() throws AclRuleException {
        users.setUser("u", List.of(">pw"));
        assertNull(users.authenticate("u", b("pw")));
        users.setUser("u", List.of("on"));
        assertEquals("u", users.authenticate("u", b("pw")).name());
        assertNull(users.authenticate("nobody", b("pw")));
    }

    @Test
    void setUserKeepsTheUsersIdentitySoItsSessionsSeeTheChange() throws AclRuleException {
        users.setUser("u", List.of("on", "+@all", "~*", "&*"));
        User u = users.get("u");
        assertTrue(u.unrestricted());
        UserRules before = users.setUser("u", List.of("-get"));
        assertTrue(before.unrestricted());
        assertSame(u, users.get("u"));
        assertFalse(u.unrestricted());
    }

    @Test
    void configuredUsersLoadOrStopTheStart() throws AclRuleException {
        users.loadConfigured(List.of(List.of("default", "on", "nopass", "~*", "+@all"), List.of("a", "on", "(~x", "+get)")));
        assertEquals("on nopass sanitize-payload ~* resetchannels +@all", users.defaultUser().rules().describe(TABLE));
        assertEquals("on resetchannels -@all (~x resetchannels -@all +get)", users.get("a").rules().describe(TABLE));
        AclRuleException bad = assertThrows(AclRuleException.class,
                () -> users.loadConfigured(List.of(List.of("b", "on", "+nosuch"))));
        assertEquals("Error loading ACL rule '+nosuch' for the user named 'b': Unknown command or category name in ACL",
                bad.getMessage());
    }

    @Test
    void theDefaultUserCannotBeDeleted() {
        assertThrows(IllegalArgumentException.class, () -> users.delete("default"));
        assertNull(users.delete("nobody"));
    }
}
