package io.simplekv.scripting.lib;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** How the libraries load: no side effects on the state, and nothing looked up in globals once loaded. */
class LuaLibsLoadTest {
    /** Globals and the contents of the standard tables, as one line (the string metatable included). */
    private static final String SNAPSHOT = """
            local function keys(t)
              local out = {}
              for k, v in pairs(t) do out[#out + 1] = tostring(k) .. '=' .. type(v) end
              table.sort(out)
              return table.concat(out, ',')
            end
            local mt = getmetatable('')
            return keys(_G) .. ' | ' .. keys(string) .. ' | ' .. keys(table) .. ' | ' .. keys(math)
              .. ' | ' .. keys(mt) .. ' | ' .. tostring(mt.__index == string)
            """;

    @ParameterizedTest
    @ValueSource(strings = {"cjson", "cmsgpack", "struct", "bit"})
    void loadingALibraryChangesNothingButItsOwnGlobal(String lib) {
        try (LuaLibsState state = LuaLibsState.bare()) {
            String before = state.run(SNAPSHOT);
            state.load(lib);
            state.exec(lib + " = nil");
            assertEquals(before, state.run(SNAPSHOT));
        }
    }

    /** Calls into every library, returning what they gave as one string (errors included). */
    private static final String EXERCISE = """
            local cj, mp, st, bt = cjson, cmsgpack, struct, bit
            local pcall, tostring, select, concat = pcall, tostring, select, table.concat
            return function()
              local r = {}
              local function add(...) for i = 1, select('#', ...) do r[#r + 1] = tostring((select(i, ...))) end end
              add(cj.encode({1, 'a/b', {x = true}, cj.null}), cj.decode('[1,{"a":"\\\\u00e9"},null]')[2].a)
              add(pcall(cj.decode, '{'))
              add(pcall(cj.encode, {[true] = 1}))
              add(cj.new().encode_number_precision(3), cj.encode_sparse_array())
              add(mp.pack(1, -200, 1.5, 0.1, 'str', {1, 2}, {k = 'v'}, true, 2^40))
              add(mp.unpack(mp.pack(1, -200, 1.5, 0.1, 'str', true, 2^40)))
              add(mp.unpack_one(mp.pack(1, 2), 1), mp.unpack_limit(mp.pack(1, 2, 3), 2))
              add(pcall(mp.unpack, '\\193'))
              add(pcall(mp.unpack, '\\129\\192\\1'))
              add(pcall(mp.pack))
              add(st.pack('<!4bhiIlLTfdc2sx', 1, 2, 3, 4, 5, 6, 7, 1.5, 2.5, 'ab', 'z'), st.size('!8bid'))
              add(st.unpack('>i3c0', st.pack('>i3', 2) .. 'xy'))
              add(pcall(st.pack, 'q'))
              add(pcall(st.unpack, 'i', 'a'))
              add(bt.tobit(2^32 + 1), bt.tohex(-1), bt.band(7, 3), bt.bor(1, 2), bt.bxor(3, 1), bt.bnot(0))
              add(bt.lshift(1, 4), bt.rshift(-1, 28), bt.arshift(-16, 2), bt.rol(1, 33), bt.ror(1, 1), bt.bswap(1))
              add(pcall(bt.band, 'x'))
              return concat(r, ' ')
            end
            """;

    /**
     * Once loaded, the libraries use only what they captured: with every global gone (reads and writes raise)
     * and the string, table and math tables emptied, they give the same answers.
     */
    @Test
    void librariesNeedNoGlobalsOnceLoaded() {
        try (LuaLibsState state = new LuaLibsState()) {
            state.exec("exercise = (function() " + EXERCISE + " end)()");
            String normal = state.run("return exercise()");
            assertNotEquals("", normal);
            state.exec("""
                    local G, next, setmetatable, error, tostring = _G, next, setmetatable, error, tostring
                    local keep = {exercise = true}
                    for _, t in next, {string, table, math} do
                      for k in next, t do t[k] = nil end
                    end
                    for k in next, G do if not keep[k] then G[k] = nil end end
                    setmetatable(G, {__index = function(_, k) error('global read: ' .. tostring(k), 2) end,
                                     __newindex = function(_, k) error('global write: ' .. tostring(k), 2) end})
                    """);
            assertEquals("error: user_script:1: global read: nothing", state.run("return nothing"));
            assertEquals(normal, state.run("return exercise()"));
        }
    }
}
