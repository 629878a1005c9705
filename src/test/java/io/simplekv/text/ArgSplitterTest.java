package io.simplekv.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * sdssplitargs rules. Each expected split was obtained from redis-server 7.0.15 by sending
 * "RPUSH L MARK &lt;line&gt;" as an inline command and reading the list back with LRANGE.
 */
class ArgSplitterTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> split(String line) {
        List<byte[]> parts = ArgSplitter.split(b(line));
        if (parts == null) return null;
        List<String> out = new ArrayList<>();
        for (byte[] p : parts) out.add(new String(p, StandardCharsets.ISO_8859_1));
        return out;
    }

    static Stream<Arguments> redisSplits() {
        return Stream.of(
                Arguments.of("a b  c", List.of("a", "b", "c")),
                Arguments.of("  lead   trail  ", List.of("lead", "trail")),
                Arguments.of("\"hello world\"", List.of("hello world")),
                Arguments.of("\"a\\\"b\"", List.of("a\"b")),
                Arguments.of("\"\\x41\\x4a\\x4A\"", List.of("AJJ")),
                Arguments.of("\"\\n\\r\\t\\b\\a\"", List.of("\n\r\t\b\u0007")),
                Arguments.of("\"\\z\"", List.of("z")),
                Arguments.of("'single \\' quote'", List.of("single ' quote")),
                Arguments.of("'no \\n escape'", List.of("no \\n escape")),
                Arguments.of("\"\"", List.of("")),
                Arguments.of("''", List.of("")),
                Arguments.of("a\"b c\"", List.of("ab c")),
                Arguments.of("a'b c'", List.of("ab c")),
                Arguments.of("a\tb", List.of("a", "b")),
                Arguments.of("\"\\x\"", List.of("x")),
                Arguments.of("\"\\xZZ\"", List.of("xZZ")),
                Arguments.of("\"a\" \"b\"", List.of("a", "b")),
                Arguments.of("\"\\\\\"", List.of("\\")),
                Arguments.of("\"\\x00\"", List.of("\0")),
                Arguments.of("\t\"\\xff\"\t", List.of("\u00ff")),
                Arguments.of("x\"\\x41\" z", List.of("xA", "z")),
                Arguments.of("set k \u00e9\u00ff", List.of("set", "k", "\u00e9\u00ff")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("redisSplits")
    void splitsLikeRedis(String line, List<String> expected) {
        assertEquals(expected, split(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc", "'abc", "\"a\"b", "'a'b", "x\"\\x41\"y z", "'\\\\'", "\"abc\\\"", "a \"b"})
    void unbalancedQuotesGiveNull(String line) {
        assertNull(split(line), line);
    }

    @Test
    void blankLinesGiveNoArguments() {
        assertEquals(List.of(), split(""));
        assertEquals(List.of(), split("   \t  "));
        assertEquals(List.of(), split("\r\n"));
    }
}
