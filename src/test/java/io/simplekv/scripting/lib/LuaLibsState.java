package io.simplekv.scripting.lib;

import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static party.iroiro.luajava.lua51.Lua51Consts.LUA_TSTRING;

/**
 * A Lua 5.1 state with only the base, table, string and math libraries open (no java module, no load* functions),
 * the way the scripting libraries must be able to load, with some of them loaded as globals of their own name.
 * Strings cross JNI as bytes (direct buffers): LuaJava 4.0.2 would mangle bytes >= 0x80 and NUL in Java strings.
 */
final class LuaLibsState implements AutoCloseable {
    static final List<String> LIBRARIES = List.of("cjson", "cmsgpack", "struct", "bit");

    private final Lua51 lua = new Lua51();
    private final Lua51Natives c = (Lua51Natives) lua.getLuaNatives();
    private final long l = lua.getPointer();

    /** A state with every library loaded from its resource. */
    LuaLibsState() {
        this(Map.of());
    }

    /** A state with every library loaded, from the given source where there is one (to test broken copies). */
    LuaLibsState(Map<String, String> sources) {
        this(false);
        for (String name : LIBRARIES) {
            String source = sources.get(name);
            load(name, source != null ? source.getBytes(StandardCharsets.ISO_8859_1) : source(name));
        }
    }

    private LuaLibsState(boolean unused) {
        c.lua_pushnil(l);
        c.lua_setglobal(l, "java");
        for (String lib : List.of("table", "string", "math")) lua.openLibrary(lib);
        exec("loadstring, load, loadfile, dofile = nil, nil, nil, nil");
    }

    /** A state with no library loaded yet (see {@link #load(String)}). */
    static LuaLibsState bare() {
        return new LuaLibsState(false);
    }

    /** Loads one library from its resource as the global of its name. */
    void load(String name) {
        load(name, source(name));
    }

    static byte[] source(String name) {
        try (InputStream in = LuaLibsState.class.getResourceAsStream("/io/simplekv/scripting/lib/" + name + ".lua")) {
            if (in == null) throw new IllegalStateException("no library resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the library chunk with no arguments and sets what it returns as the global of that name. */
    private void load(String name, byte[] chunk) {
        ByteBuffer buf = direct(chunk);
        if (c.luaJ_loadbuffer(l, buf, buf.limit(), "=" + name) != 0 || c.lua_pcall(l, 0, 1, 0) != 0) {
            String msg = c.lua_tostring(l, -1);
            c.lua_settop(l, 0);
            throw new IllegalStateException("loading " + name + ": " + msg);
        }
        c.lua_setglobal(l, name);
    }

    /** Runs a script compiled as Redis compiles EVAL bodies (chunk name @user_script); its result as text. */
    String run(String script) {
        ByteBuffer buf = direct(script.getBytes(StandardCharsets.ISO_8859_1));
        try {
            if (c.luaJ_loadbuffer(l, buf, buf.limit(), "@user_script") != 0) return "compile error: " + bytes(-1);
            if (c.lua_pcall(l, 0, 1, 0) != 0) return "error: " + bytes(-1);
            if (c.lua_type(l, -1) != LUA_TSTRING) return "not a string: type " + c.lua_type(l, -1);
            return bytes(-1);
        } finally {
            c.lua_settop(l, 0);
        }
    }

    /** Runs Lua code for its effect; fails on error. */
    void exec(String code) {
        String r = run(code + "\nreturn ''");
        if (!r.isEmpty()) throw new IllegalStateException(r);
    }

    /** The string at idx, one char per byte. */
    private String bytes(int idx) {
        if (c.lua_type(l, idx) != LUA_TSTRING) return String.valueOf(c.lua_tostring(l, idx));
        ByteBuffer b = (ByteBuffer) c.luaJ_todirectbuffer(l, idx);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static ByteBuffer direct(byte[] b) {
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    @Override
    public void close() {
        lua.close();
    }
}
