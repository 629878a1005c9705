package io.simplekv.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis's stringmatchlen rules. Each case's expected result was obtained from redis-server 7.0.15 by storing the
 * text as the only key and running KEYS with the pattern (case-sensitive), or CONFIG GET (case-insensitive).
 */
class GlobTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Stream<Arguments> redisCases() {
        return Stream.of(
                Arguments.of("*", "", true),
                Arguments.of("*", "anything", true),
                Arguments.of("?", "", false),
                Arguments.of("?", "a", true),
                Arguments.of("?", "ab", false),
                Arguments.of("a*", "a", true),
                Arguments.of("a*", "abc", true),
                Arguments.of("a*", "ba", false),
                Arguments.of("*a", "ba", true),
                Arguments.of("*a", "ab", false),
                Arguments.of("a*b*c", "axxbyyc", true),
                Arguments.of("a*b*c", "axxbyy", false),
                Arguments.of("a**b", "ab", true),
                Arguments.of("***", "x", true),
                Arguments.of("h?llo", "hello", true),
                Arguments.of("h?llo", "hllo", false),
                Arguments.of("h[ae]llo", "hallo", true),
                Arguments.of("h[ae]llo", "hillo", false),
                Arguments.of("h[^e]llo", "hallo", true),
                Arguments.of("h[^e]llo", "hello", false),
                Arguments.of("h[a-b]llo", "hbllo", true),
                Arguments.of("h[a-b]llo", "hcllo", false),
                Arguments.of("h[b-a]llo", "hallo", true),
                Arguments.of("h[\\]]llo", "h]llo", true),
                Arguments.of("h\\*llo", "h*llo", true),
                Arguments.of("h\\*llo", "hello", false),
                Arguments.of("h\\?llo", "h?llo", true),
                Arguments.of("h\\?llo", "hallo", false),
                Arguments.of("\\\\", "\\", true),
                Arguments.of("a\\", "a", false),
                Arguments.of("a\\", "a\\", true),
                Arguments.of("[abc", "a", true),
                Arguments.of("[abc", "b", true),
                Arguments.of("[", "[", false),
                Arguments.of("[]", "]", false),
                Arguments.of("[]]", "]", false),
                Arguments.of("[^]", "a", true),
                Arguments.of("[a-]", "a", true),
                Arguments.of("[a-]", "-", false),
                Arguments.of("[a-]", "]", true),
                Arguments.of("[-a]", "-", true),
                Arguments.of("[\\-]", "-", true),
                Arguments.of("x[a-c-e]y", "xdy", false),
                Arguments.of("x[a-c-e]y", "x-y", true),
                Arguments.of("ABC", "abc", false),
                Arguments.of("[A-Z]", "a", false),
                Arguments.of("*[0-9]", "ab5", true),
                Arguments.of("*[0-9]*", "ab5cd", true),
                Arguments.of("[!a]", "b", false),
                Arguments.of("[^a-z]", "A", true),
                Arguments.of("[^a-z]", "q", false),
                Arguments.of("a?c", "a\nc", true),
                Arguments.of("user:*:name", "user:42:name", true),
                Arguments.of("user:*:name", "user:42:nam", false),
                Arguments.of("*x*", "xxxx", true),
                Arguments.of("a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
                Arguments.of("[a-c][a-c]", "ab", true),
                Arguments.of("[a-c][a-c]", "ad", false),
                Arguments.of("\\[a]", "[a]", true),
                Arguments.of("\\[a]", "a", false),
                Arguments.of("?*", "a", true),
                Arguments.of("?*", "", false),
                Arguments.of("*?", "", false));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" ~ \"{1}\" -> {2}")
    @MethodSource("redisCases")
    void matchesLikeRedisKeys(String pattern, String text, boolean expected) {
        assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertEquals(expected, Glob.matches(b(pattern), b(text)), "'" + pattern + "' ~ '" + text + "'"));
    }

    static Stream<Arguments> noCaseCases() {
        return Stream.of(
                Arguments.of("MAXCLIENT[R-T]", "maxclients", true),
                Arguments.of("[^M]AXCLIENTS", "maxclients", false),
                Arguments.of("MAXCL?ENTS", "maxclients", true),
                Arguments.of("*CLIENTS", "maxclients", true),
                Arguments.of("M[a-b]XCLIENTS", "maxclients", true),
                Arguments.of("m[A-B]xclients", "maxclients", true),
                Arguments.of("MAXCLIENTS", "maxclients", true),
                Arguments.of("MAXCLIENT", "maxclients", false));
    }

    @ParameterizedTest(name = "[{index}] nocase \"{0}\" ~ \"{1}\" -> {2}")
    @MethodSource("noCaseCases")
    void matchesIgnoreCaseLikeRedisConfigGet(String pattern, String text, boolean expected) {
        assertEquals(expected, Glob.matchesIgnoreCase(b(pattern), b(text)));
    }

    @Test
    void caseSensitiveByDefault() {
        assertFalse(Glob.matches(b("MAXCLIENT[R-T]"), b("maxclients")));
        assertTrue(Glob.matches(b("maxclient[r-t]"), b("maxclients")));
    }

    @Test
    void binaryBytes() {
        assertTrue(Glob.matches(new byte[] {(byte) 0xff, '*'}, new byte[] {(byte) 0xff, 0, 1}));
        assertFalse(Glob.matches(new byte[] {(byte) 0xfe, '*'}, new byte[] {(byte) 0xff, 0, 1}));
        assertTrue(Glob.matches(new byte[] {'[', (byte) 0x80, '-', (byte) 0xff, ']'}, new byte[] {(byte) 0xc3}));
        assertTrue(Glob.matches(b("?"), new byte[] {0}));
    }

    @Test
    void matchesEverything() {
        assertTrue(Glob.matchesEverything(b("*")));
        assertFalse(Glob.matchesEverything(b("")));
        assertFalse(Glob.matchesEverything(b("a*")));
        assertFalse(Glob.matchesEverything(b("\\*")));
    }

    /**
     * Redis stops recursing past 1000 nested '*': "*<0>*<1>...*<999>" matches "<0><1>...<999>", and the same with
     * 1001 tokens does not. The tokens cannot match anywhere else, so the failing case costs no backtracking.
     */
    @Test
    void nestingLimit() {
        assertTrue(Glob.matches(tokens("*", 1000), tokens("", 1000)));
        assertFalse(Glob.matches(tokens("*", 1001), tokens("", 1001)));
    }

    private static byte[] tokens(String before, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(before).append('<').append(i).append('>');
        return b(s.toString());
    }

    /**
     * Redis gives up on a '*' once the rest of the pattern failed at every later position, so a failing pattern
     * costs about pattern × text steps (KEYS answers this one in microseconds); plain backtracking is exponential.
     */
    @Test
    void pathologicalPatternFailsQuickly() {
        byte[] pattern = b("*a".repeat(7) + "b"), text = b("a".repeat(50));
        Glob.matches(b("*a*b"), b("aaaa")); // warm up
        assertTimeout(Duration.ofMillis(100), () -> assertFalse(Glob.matches(pattern, text)));
    }
}
