package io.simplekv.scripting.lib;

import io.simplekv.scripting.lib.RecordedSnippets.Snippet;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every recorded snippet (scripts/tools/lua-libs/*.snippets) against the Lua libraries and compares the
 * answer with Redis 7.0.15's, byte for byte. Snippets of one library run in one state, in the recorded order,
 * as they ran in one Redis server.
 */
class LuaLibsReferenceTest {
    /**
     * Snippets whose answers differ from Redis's because the libraries are Lua functions, not C functions; each
     * must still differ (if one starts matching, it leaves this list).
     */
    static final Map<String, String> KNOWN_DIFFERENCES = Map.of(
            "pcall-names-function",
            "called straight from pcall, a C function's argument error names it '?'; a Lua function cannot tell how"
                    + " it was called and names itself",
            "tail-call-error-position",
            "'return lib.f(...)' tail-calls a Lua function, which drops the script's frame: the error message"
                    + " has no 'user_script:N: ' prefix");

    @TestFactory
    Stream<DynamicContainer> snippetsMatchRedis() {
        return LuaLibsState.LIBRARIES.stream().map(lib -> {
            List<Snippet> snippets = RecordedSnippets.load(lib);
            LuaLibsState state = new LuaLibsState();
            List<DynamicTest> tests = new ArrayList<>();
            for (Snippet s : snippets) {
                tests.add(DynamicTest.dynamicTest(s.name(), () -> {
                    String got = state.run(s.script());
                    if (KNOWN_DIFFERENCES.containsKey(s.name())) {
                        assertNotEquals(s.reply(), got, "known difference now matches: " + s);
                    } else {
                        assertEquals(s.reply(), got, s.toString());
                    }
                }));
            }
            tests.add(DynamicTest.dynamicTest("close", state::close));
            return DynamicContainer.dynamicContainer(lib, tests);
        });
    }

    @TestFactory
    Stream<DynamicTest> everyLibraryHasAtLeastFortySnippets() {
        return LuaLibsState.LIBRARIES.stream().map(lib -> DynamicTest.dynamicTest(lib, () -> {
            int n = RecordedSnippets.load(lib).size();
            assertTrue(n >= 40, lib + " has " + n + " snippets");
        }));
    }

    /** The comparison can fail: a library broken on purpose disagrees with Redis on the snippets that cover it. */
    @ParameterizedTest(name = "{0}: {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "cjson    | ['/'] = '\\\\/'              | ['/'] = '/'                   | encode-string-escapes",
            "cmsgpack | local MAX_NESTING = 16       | local MAX_NESTING = 17        | pack-nesting-limit",
            "struct   | local little, align = true, 1 | local little, align = false, 1 | pack-shorts",
            "bit      | local LOWER, UPPER = '0123456789abcdef', '0123456789ABCDEF' | local LOWER, UPPER = '0123456789ABCDEF', '0123456789ABCDEF' | tohex-default",
    })
    void aBrokenLibraryFailsTheComparison(String lib, String original, String broken, String snippet) {
        String source = new String(LuaLibsState.source(lib), StandardCharsets.ISO_8859_1);
        assertTrue(source.contains(original), lib + " no longer contains " + original);
        List<String> mismatches = new ArrayList<>();
        try (LuaLibsState state = new LuaLibsState(Map.of(lib, source.replace(original, broken)))) {
            for (Snippet s : RecordedSnippets.load(lib)) {
                if (!KNOWN_DIFFERENCES.containsKey(s.name()) && !s.reply().equals(state.run(s.script()))) {
                    mismatches.add(s.name());
                }
            }
        }
        assertTrue(mismatches.contains(snippet), "expected " + snippet + " among the mismatches " + mismatches);
    }
}
