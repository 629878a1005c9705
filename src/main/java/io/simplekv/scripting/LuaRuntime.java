package io.simplekv.scripting;

import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static party.iroiro.luajava.lua51.Lua51Consts.LUA_GLOBALSINDEX;
import static party.iroiro.luajava.lua51.Lua51Consts.LUA_REGISTRYINDEX;

/**
 * One sandboxed Lua 5.1 state (LuaJava over JNI, the Lua Redis embeds), set up as Redis 7.0 sets up its scripting
 * state: base, table, string, math, the cjson/cmsgpack/struct/bit libraries, the protected globals and the
 * {@code redis} table (sandbox.lua). Used by one thread at a time (the script thread).
 *
 * <p>Rules that keep the JVM out of reach: {@code openLibraries()} is never called, LuaJava's {@code java} global is
 * removed, {@code debug} stays a local of the sandbox, Java functions are only reachable through Lua closures, and
 * a Java function never throws (LuaJava would hand the Throwable to Lua): it pushes an error table and returns -1.
 */
final class LuaRuntime implements AutoCloseable {
    private static final String[] LIBRARIES = {"cjson", "cmsgpack", "struct", "bit"};

    private final SandboxedLua lua;
    private final Lua51Natives C;
    private final long L;
    private final LuaValues values;
    private final RedisRandom random = new RedisRandom();
    private final int errhRef, envRef, sethookRef;
    private volatile ScriptHost host;
    private boolean killed;
    /** The instruction count the kill hook is set to now (0: none). */
    private int installedHook;

    /** The registry references of the FUNCTION-mode helpers (0 in an EVAL state). */
    private final int beginLoadRef, endLoadRef;

    /** A state for EVAL scripts ({@code functions} false) or for FUNCTION libraries. */
    LuaRuntime(boolean functions) {
        lua = new SandboxedLua();
        C = (Lua51Natives) lua.getLuaNatives();
        L = lua.getPointer();
        for (String lib : new String[] {"table", "string", "math", "debug"}) lua.openLibrary(lib);
        values = new LuaValues(C);
        values.installDecoder(L);
        // The chunk name stays interned for the state's life: stock 5.1.5's parser does not anchor it (CVE-2025-49844).
        C.luaJ_pushstring(L, "@user_script");
        C.luaL_ref(L, LUA_REGISTRYINDEX);
        load(L, resource("sandbox.lua"), "=sandbox");
        pushJavaFunctions();
        pushLibraries();
        C.lua_pushboolean(L, functions ? 1 : 0);
        if (C.lua_pcall(L, 3, functions ? 5 : 3, 0) != 0) throw new IllegalStateException("sandbox: " + C.lua_tostring(L, -1));
        endLoadRef = functions ? C.luaL_ref(L, LUA_REGISTRYINDEX) : 0;
        beginLoadRef = functions ? C.luaL_ref(L, LUA_REGISTRYINDEX) : 0;
        sethookRef = C.luaL_ref(L, LUA_REGISTRYINDEX);
        envRef = C.luaL_ref(L, LUA_REGISTRYINDEX);
        errhRef = C.luaL_ref(L, LUA_REGISTRYINDEX);
    }

    private void pushJavaFunctions() {
        Map<String, JFunction> fns = new LinkedHashMap<>();
        fns.put("call", l -> guarded(l, () -> redisCall(l, true)));
        fns.put("pcall", l -> guarded(l, () -> redisCall(l, false)));
        fns.put("sha1hex", l -> guarded(l, () -> sha1hex(l)));
        fns.put("loadlib", l -> guarded(l, () -> loadLibrary(l)));
        fns.put("acl_check_cmd", l -> guarded(l, () -> aclCheckCmd(l)));
        fns.put("log", l -> guarded(l, () -> log(l)));
        fns.put("setresp", l -> guarded(l, () -> setResp(l)));
        fns.put("set_repl", l -> guarded(l, () -> setRepl(l)));
        fns.put("random", l -> guarded(l, () -> random(l)));
        fns.put("randomseed", l -> guarded(l, () -> randomSeed(l)));
        fns.put("kill", l -> guarded(l, () -> {
            ScriptHost h = host;
            killed = killed || (h != null && h.killRequested());
            C.lua_pushboolean(l.getPointer(), killed ? 1 : 0);
            String message = h == null ? null : h.killMessage();
            if (message == null) C.lua_pushnil(l.getPointer());
            else C.luaJ_pushstring(l.getPointer(), message);
            return 2;
        }));
        C.lua_createtable(L, 0, fns.size());
        for (Map.Entry<String, JFunction> e : fns.entrySet()) {
            lua.push(e.getValue());
            C.lua_setfield(L, -2, e.getKey());
        }
    }

    /** The names of the libraries the sandbox offers; each is compiled on first use ({@link #loadLibrary}). */
    private void pushLibraries() {
        C.lua_createtable(L, LIBRARIES.length, 0);
        int i = 0;
        for (String name : LIBRARIES) {
            if (optionalResource("lib/" + name + ".lua") == null) continue;
            C.luaJ_pushstring(L, name);
            C.lua_rawseti(L, -2, ++i);
        }
    }

    /**
     * J.loadlib(name): a library chunk (a resource returning its table), compiled; the sandbox runs it in the
     * environment the library expects.
     */
    private int loadLibrary(Lua l) {
        long p = l.getPointer();
        String name = C.lua_tostring(p, 1);
        byte[] code = name == null ? null : optionalResource("lib/" + name + ".lua");
        if (code == null) return raise(p, "ERR no library " + name);
        load(p, code, "=" + name);
        return 1;
    }

    private void load(long p, byte[] code, String chunkName) {
        ByteBuffer buf = ByteBuffer.allocateDirect(code.length).put(code).flip();
        if (C.luaJ_loadbuffer(p, buf, buf.limit(), chunkName) != 0) {
            throw new IllegalStateException(chunkName + ": " + C.lua_tostring(p, -1));
        }
    }

    private static byte[] resource(String name) {
        byte[] b = optionalResource(name);
        if (b == null) throw new IllegalStateException("missing resource " + name);
        return b;
    }

    private static byte[] optionalResource(String name) {
        try (InputStream in = LuaRuntime.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compiles a script body as Redis does (chunk name {@code @user_script}; a body starting with ESC is text, never
     * bytecode) into a function of the sandbox environment; returns its registry reference.
     *
     * @throws ScriptError with Lua's message when the body does not compile
     */
    int compile(byte[] body, int from) {
        int length = body.length - from;
        boolean esc = length > 0 && body[from] == 27;
        ByteBuffer buf = ByteBuffer.allocateDirect(length + (esc ? 1 : 0));
        if (esc) buf.put((byte) ' ');
        buf.put(body, from, length).flip();
        if (C.luaJ_loadbuffer(L, buf, buf.limit(), "@user_script") != 0) {
            String msg = values.string(L, -1);
            C.lua_settop(L, 0);
            throw new ScriptError(msg);
        }
        C.lua_rawgeti(L, LUA_REGISTRYINDEX, envRef);
        C.lua_setfenv(L, -2);
        return C.luaL_ref(L, LUA_REGISTRYINDEX);
    }

    void release(int ref) {
        C.luaL_unref(L, LUA_REGISTRYINDEX, ref);
    }

    /**
     * Runs a compiled script with KEYS and ARGV set (Redis's luaCallFunction in EVAL mode) and returns its result
     * converted as Redis converts it, or a {@link Reply.Error} carrying Redis's error text for a script that failed.
     */
    Reply run(int ref, byte[][] keys, byte[][] argv, String sha, ScriptHost host, int hookInstructions) {
        this.host = host;
        killed = false;
        useHook(hookInstructions);
        try {
            C.lua_rawgeti(L, LUA_REGISTRYINDEX, errhRef);
            C.lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
            setGlobalArray(LuaValues.KEYS, keys);
            setGlobalArray(LuaValues.ARGV, argv);
            int rc = C.lua_pcall(L, 0, 1, 1);
            if (rc == 0) return values.toReply(L, host.resp());
            return values.failure(L, sha);
        } finally {
            C.lua_settop(L, 0);
            afterRun(hookInstructions);
        }
    }

    /**
     * The count hook stays installed between scripts (setting it costs two Lua calls); only a kill, which turned
     * it into a line hook, makes it be set again. The kill check must answer false before that: after a kill the
     * hook fires on every line, the resetting call's own lines included.
     */
    private void afterRun(int hookInstructions) {
        this.host = null;
        boolean wasKilled = killed;
        killed = false;
        if (wasKilled) {
            installedHook = -1;
            useHook(hookInstructions);
        }
        lua.closeCoroutines();
    }

    private void useHook(int instructions) {
        if (instructions == installedHook) return;
        setHook(instructions);
        installedHook = instructions;
    }

    private void setGlobalArray(int name, byte[][] items) {
        values.pushField(L, name);
        pushArray(items);
        C.lua_rawset(L, LUA_GLOBALSINDEX); // the real globals: they have no __newindex, so a raw store
    }

    private void pushArray(byte[][] items) {
        C.lua_createtable(L, items.length, 0);
        for (int i = 0; i < items.length; i++) {
            values.pushBytes(L, items[i]);
            C.lua_rawseti(L, -2, i + 1);
        }
    }

    /** A function a library registered: its name, description, flags and callback's registry reference. */
    record Registered(String name, String description, java.util.List<String> flags, int ref) {}

    /**
     * Runs a library's code (after its shebang line) as FUNCTION LOAD does: only the load API is visible, and the
     * functions it registers come back. The load stops with "FUNCTION LOAD timeout" past {@code timeout}.
     *
     * @throws ScriptError with Redis's text ("Error compiling function: ...", "Error registering functions: ...")
     */
    java.util.List<Registered> loadLibrary(byte[] code, int from, ScriptHost timeout) {
        int length = code.length - from;
        ByteBuffer buf = ByteBuffer.allocateDirect(length).put(code, from, length).flip();
        if (C.luaJ_loadbuffer(L, buf, buf.limit(), "@user_function") != 0) {
            String msg = values.string(L, -1);
            C.lua_settop(L, 0);
            throw new ScriptError("Error compiling function: " + msg);
        }
        C.lua_rawgeti(L, LUA_REGISTRYINDEX, envRef);
        C.lua_setfenv(L, -2);
        this.host = timeout;
        killed = false;
        useHook(100_000);
        C.lua_rawgeti(L, LUA_REGISTRYINDEX, beginLoadRef);
        C.lua_pcall(L, 0, 0, 0);
        int rc = C.lua_pcall(L, 0, 0, 0);
        String error = rc == 0 ? null : values.errorMessage(L);
        C.lua_settop(L, 0);
        this.host = null;
        killed = false;
        installedHook = -1;
        useHook(0);
        C.lua_rawgeti(L, LUA_REGISTRYINDEX, endLoadRef);
        C.lua_pcall(L, 0, 1, 0);
        java.util.List<Registered> registered = readRegistered(error != null);
        C.lua_settop(L, 0);
        lua.closeCoroutines();
        if (error != null) throw new ScriptError("Error registering functions: " + error);
        return registered;
    }

    /** The pending registrations left on the stack by end_load; references dropped if the load failed. */
    private java.util.List<Registered> readRegistered(boolean discard) {
        java.util.List<Registered> out = new ArrayList<>();
        int n = C.luaJ_len(L, -1);
        for (int i = 1; i <= n; i++) {
            C.lua_rawgeti(L, -1, i);
            C.lua_getfield(L, -1, "flags");
            java.util.List<String> flags = new ArrayList<>();
            int fn = C.luaJ_len(L, -1);
            for (int j = 1; j <= fn; j++) {
                C.lua_rawgeti(L, -1, j);
                flags.add(values.string(L, -1));
                C.lua_pop(L, 1);
            }
            C.lua_pop(L, 1);
            C.lua_getfield(L, -1, "name");
            String name = values.string(L, -1);
            C.lua_pop(L, 1);
            C.lua_getfield(L, -1, "desc");
            String desc = C.lua_type(L, -1) == 0 ? null : values.string(L, -1);
            C.lua_pop(L, 1);
            C.lua_getfield(L, -1, "callback");
            int ref = C.luaL_ref(L, LUA_REGISTRYINDEX);
            C.lua_pop(L, 1);
            if (discard) release(ref);
            else out.add(new Registered(name, desc, flags, ref));
        }
        return out;
    }

    /** FCALL: calls a registered function with the keys and arguments as its two parameters. */
    Reply callFunction(int ref, byte[][] keys, byte[][] args, String name, ScriptHost host, int hookInstructions) {
        this.host = host;
        killed = false;
        useHook(hookInstructions);
        try {
            C.lua_rawgeti(L, LUA_REGISTRYINDEX, errhRef);
            C.lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
            pushArray(keys);
            pushArray(args);
            int rc = C.lua_pcall(L, 2, 1, -4);
            if (rc == 0) return values.toReply(L, host.resp());
            return values.failure(L, name);
        } finally {
            C.lua_settop(L, 0);
            afterRun(hookInstructions);
        }
    }

    private void setHook(int instructions) {
        C.lua_rawgeti(L, LUA_REGISTRYINDEX, sethookRef);
        C.lua_pushnumber(L, instructions);
        if (C.lua_pcall(L, 1, 0, 0) != 0) throw new IllegalStateException(C.lua_tostring(L, -1));
    }

    /** Bytes the Lua heap holds (INFO's used_memory_lua). */
    long memory() {
        return C.lua_gc(L, 3 /* LUA_GCCOUNT */, 0) * 1024L + C.lua_gc(L, 4 /* LUA_GCCOUNTB */, 0);
    }

    /** A small incremental collection step, as Redis runs one every 50 scripts. */
    void gcStep() {
        C.lua_gc(L, 5 /* LUA_GCSTEP */, 50);
    }

    @Override
    public void close() {
        lua.close();
    }

    // ---- Java functions called from Lua: they never throw ----------------------------------------------------

    private interface Body {
        int run();
    }

    /** Any Java failure becomes a Lua error table: a thrown exception would reach the script as a Java object. */
    private int guarded(Lua l, Body body) {
        try {
            return body.run();
        } catch (Throwable t) {
            return raise(l.getPointer(), "ERR " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()));
        }
    }

    /** Pushes {err=msg} and returns -1: LuaJava's C wrapper then raises it with lua_error. */
    private int raise(long p, String msg) {
        values.pushErrorTable(p, msg);
        return -1;
    }

    private int redisCall(Lua l, boolean raiseErrors) {
        long p = l.getPointer();
        int n = C.lua_gettop(p);
        if (n == 0) return raiseOrReturn(p, raiseErrors, "ERR Please specify at least one argument for this redis lib call");
        byte[][] args = new byte[n][];
        for (int i = 1; i <= n; i++) {
            args[i - 1] = values.argument(p, i);
            if (args[i - 1] == null) {
                return raiseOrReturn(p, raiseErrors, "ERR Lua redis lib command arguments must be strings or integers");
            }
        }
        C.lua_settop(p, 0);
        ScriptHost h = host;
        if (h == null) return raise(p, "ERR redis.call/pcall can only be called inside a script invocation");
        Reply r = h.call(args);
        if (!values.push(p, r, h.resp())) return raise(p, "ERR reached lua stack limit");
        // An error is raised as the same table pcall would return, marked as counted in the error stats already.
        return raiseErrors && r instanceof Reply.Error ? -1 : 1;
    }

    /** redis.acl_check_cmd(command, args...): a boolean, or an error for a command that does not exist. */
    private int aclCheckCmd(Lua l) {
        long p = l.getPointer();
        int n = C.lua_gettop(p);
        if (n == 0) return raise(p, "ERR Please specify at least one argument for this redis lib call");
        byte[][] args = new byte[n][];
        for (int i = 1; i <= n; i++) {
            args[i - 1] = values.argument(p, i);
            if (args[i - 1] == null) return raise(p, "ERR Lua redis lib command arguments must be strings or integers");
        }
        C.lua_settop(p, 0);
        ScriptHost h = host;
        Boolean allowed;
        try {
            if (h == null) throw new IllegalStateException("no script");
            allowed = h.aclPermits(args);
        } catch (IllegalStateException e) {
            return raise(p, "ERR redis.acl_check_cmd can only be called inside a script invocation");
        }
        if (allowed == null) return raise(p, "ERR Invalid command passed to redis.acl_check_cmd()");
        C.lua_pushboolean(p, allowed ? 1 : 0);
        return 1;
    }

    private int raiseOrReturn(long p, boolean raiseErrors, String msg) {
        if (raiseErrors) return raise(p, msg);
        values.pushErrorTable(p, msg);
        return 1;
    }

    private int sha1hex(Lua l) {
        long p = l.getPointer();
        if (C.lua_gettop(p) != 1) return raise(p, "ERR wrong number of arguments");
        byte[] b = values.argument(p, 1);
        C.luaJ_pushstring(p, Sha1.hex(b == null ? new byte[0] : b));
        return 1;
    }

    private int log(Lua l) {
        long p = l.getPointer();
        int n = C.lua_gettop(p);
        if (n < 2) return raise(p, "ERR redis.log() requires two arguments or more.");
        if (C.lua_type(p, 1) != 3 /* LUA_TNUMBER */ && !values.isNumericString(p, 1)) {
            return raise(p, "ERR First argument must be a number (log level).");
        }
        int level = (int) C.lua_tonumber(p, 1);
        if (level < 0 || level > 3) return raise(p, "ERR Invalid debug level.");
        StringBuilder message = new StringBuilder();
        for (int i = 2; i <= n; i++) {
            byte[] b = values.argument(p, i);
            if (b == null) continue;
            if (message.length() > 0) message.append(' ');
            message.append(new String(b, StandardCharsets.ISO_8859_1));
        }
        ScriptHost h = host;
        if (h != null) h.log(level, message.toString());
        return 0;
    }

    private int setResp(Lua l) {
        long p = l.getPointer();
        ScriptHost h = host;
        if (h == null) return raise(p, "ERR redis.setresp can only be called inside a script invocation");
        if (C.lua_gettop(p) != 1) return raise(p, "ERR redis.setresp() requires one argument.");
        if (!h.setResp((int) C.lua_tonumber(p, 1))) return raise(p, "ERR RESP version must be 2 or 3.");
        return 0;
    }

    private int setRepl(Lua l) {
        long p = l.getPointer();
        if (host == null) return raise(p, "ERR redis.set_repl can only be called inside a script invocation");
        if (C.lua_gettop(p) != 1) return raise(p, "ERR redis.set_repl() requires two arguments.");
        int flags = (int) C.lua_tonumber(p, 1);
        if ((flags & ~3) != 0) return raise(p, "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        return 0; // there are no replicas or AOF to propagate to
    }

    /** Lua 5.1's math_random with rand() replaced by Redis's redisLrand48, so every script sees Redis's sequence. */
    private int random(Lua l) {
        long p = l.getPointer();
        if (host == null) return raise(p, "ERR math.random can only be called inside a script invocation");
        double r = random.next();
        switch (C.lua_gettop(p)) {
            case 0 -> C.lua_pushnumber(p, r);
            case 1 -> {
                int u = (int) C.lua_tonumber(p, 1);
                if (u < 1) return raise(p, "ERR bad argument #1 to 'random' (interval is empty)");
                C.lua_pushnumber(p, Math.floor(r * u) + 1);
            }
            case 2 -> {
                int lo = (int) C.lua_tonumber(p, 1), u = (int) C.lua_tonumber(p, 2);
                if (lo > u) return raise(p, "ERR bad argument #2 to 'random' (interval is empty)");
                C.lua_pushnumber(p, Math.floor(r * (u - lo + 1)) + lo);
            }
            default -> { return raise(p, "ERR wrong number of arguments"); }
        }
        return 1;
    }

    private int randomSeed(Lua l) {
        long p = l.getPointer();
        if (host == null) return raise(p, "ERR math.randomseed can only be called inside a script invocation");
        random.seed((int) C.lua_tonumber(p, 1));
        return 0;
    }

    /**
     * LuaJava adopts every coroutine that calls a Java function and keeps it for good; closing them after each
     * script bounds that to one script's worth.
     */
    private static final class SandboxedLua extends Lua51 {
        void closeCoroutines() {
            if (subThreads.isEmpty()) return;
            List<Lua> copy;
            synchronized (subThreads) {
                copy = new ArrayList<>(subThreads);
            }
            for (Lua t : copy) t.close();
        }
    }
}
