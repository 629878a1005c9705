package io.simplekv.scripting;

import io.simplekv.rdb.RdbReader;
import io.simplekv.rdb.RdbWriter;
import io.simplekv.text.ArgSplitter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Redis 7.0's FUNCTION libraries (functions.c): each library is the code FUNCTION LOAD got, run once in a Lua state
 * of its own to register its functions. Changed only on the script thread; readable from any thread.
 */
public final class Functions {
    /** FUNCTION LOAD's time limit for a library's top-level code (Redis's LOAD_TIMEOUT_MS). */
    private static final long LOAD_TIMEOUT_MS = 500;
    private static final int OPCODE_FUNCTION2 = 245, OPCODE_FUNCTION = 246;

    /** A registered function; flags in the order they were given. */
    public record Function(String name, String description, List<String> flags, int ref, String library) {
        public boolean has(String flag) {
            return flags.contains(flag);
        }
    }

    /** A loaded library: its whole code (shebang included) and its functions, in registration order. */
    public record Library(String name, byte[] code, Map<String, Function> functions) {}

    /** A library's load failed; the message is Redis's, without its "ERR" code. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The key of the meta table the libraries are stored under beside the data. */
    public static final byte[] STORAGE_KEY = "functions".getBytes(StandardCharsets.US_ASCII);

    private final Map<String, Library> libraries = new ConcurrentHashMap<>();
    /** By lower-cased name: FCALL finds a function whatever its case, as Redis's functionDictType does. */
    private final Map<String, Function> functions = new ConcurrentHashMap<>();
    private LuaRuntime lua;

    private LuaRuntime lua() {
        if (lua == null) lua = new LuaRuntime(true);
        return lua;
    }

    public Function function(String name) {
        return functions.get(folded(name));
    }

    public Collection<Library> libraries() {
        return libraries.values();
    }

    public int libraryCount() {
        return libraries.size();
    }

    public int functionCount() {
        return functions.size();
    }

    private volatile long memory;

    /** INFO's used_memory_vm_functions: the functions state's Lua heap, as last measured on the script thread. */
    public long luaMemory() {
        return memory;
    }

    void measure() {
        memory = lua == null ? 0 : lua.memory();
    }

    /** FUNCTION LOAD: the library's name; throws {@link Refused} with Redis's reason. */
    public String load(byte[] code, boolean replace) {
        Map<String, Library> into = new LinkedHashMap<>(libraries);
        Library lib = compile(code, replace, into);
        install(lib, into);
        measure();
        return lib.name();
    }

    /** Compiles a library against the libraries {@code into} (which it replaces, if {@code replace}). */
    private Library compile(byte[] code, boolean replace, Map<String, Library> into) {
        Metadata md = Metadata.parse(code);
        if (!validName(md.name)) {
            throw new Refused("Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        if (!md.engine.equalsIgnoreCase("lua")) throw new Refused("Engine '" + md.engine + "' not found");
        Library old = into.get(md.name);
        if (old != null && !replace) throw new Refused("Library '" + md.name + "' already exists");
        List<LuaRuntime.Registered> registered;
        long started = System.nanoTime();
        try {
            registered = lua().loadLibrary(code, md.codeStart, new LoadTimeout(started));
        } catch (ScriptError e) {
            throw new Refused(e.getMessage());
        }
        Map<String, Function> fns = new LinkedHashMap<>();
        String failure = null;
        for (LuaRuntime.Registered r : registered) {
            if (failure == null && !validName(r.name())) {
                failure = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";
            } else if (failure == null && fns.containsKey(r.name())) {
                failure = "Function already exists in the library";
            }
            fns.put(r.name(), new Function(r.name(), r.description(), List.copyOf(r.flags()), r.ref(), md.name));
        }
        if (failure == null && fns.isEmpty()) failure = "No functions registered";
        if (failure == null) {
            for (Function f : fns.values()) {
                Function existing = functions.get(folded(f.name()));
                if (existing != null && !(old != null && existing.library().equals(md.name))) {
                    failure = "Function " + f.name() + " already exists";
                    break;
                }
            }
        }
        if (failure != null) {
            for (LuaRuntime.Registered r : registered) lua().release(r.ref());
            throw new Refused(failure);
        }
        return new Library(md.name, code, fns);
    }

    private void install(Library lib, Map<String, Library> into) {
        Library old = libraries.put(lib.name(), lib);
        if (old != null) unlink(old);
        for (Function f : lib.functions().values()) functions.put(folded(f.name()), f);
    }

    private void unlink(Library lib) {
        for (Function f : lib.functions().values()) {
            functions.remove(folded(f.name()), f);
            lua().release(f.ref());
        }
    }

    public boolean delete(String name) {
        Library lib = libraries.remove(name);
        if (lib == null) return false;
        unlink(lib);
        return true;
    }

    /** FUNCTION FLUSH: every library gone, and the state that held them. */
    public void flush() {
        libraries.clear();
        functions.clear();
        if (lua != null) {
            lua.close();
            lua = null;
        }
    }

    /** FCALL's run of a function, on the script thread inside the caller's unit of work. */
    public Reply call(Function f, byte[][] keys, byte[][] args, ScriptHost host, int hookInstructions) {
        return lua().callFunction(f.ref(), keys, args, f.name(), host, hookInstructions);
    }

    // ---- DUMP / RESTORE and storage: the libraries' code in Redis's RDB encoding ------------------------------

    /** FUNCTION DUMP: each library as RDB_OPCODE_FUNCTION2 and its code, then the RDB version and CRC-64. */
    public byte[] dump() {
        RdbWriter w = new RdbWriter();
        for (Library lib : libraries.values()) w.type(OPCODE_FUNCTION2).string(lib.code());
        return w.withFooter();
    }

    /** How FUNCTION RESTORE joins the dumped libraries with the current ones. */
    public enum RestorePolicy { APPEND, REPLACE, FLUSH }

    /** FUNCTION RESTORE; throws {@link Refused} with Redis's reason, leaving the libraries as they were. */
    public void restore(byte[] payload, RestorePolicy policy) {
        if (RdbWriter.verifyFooter(payload) < 0) throw new Refused("DUMP payload version or checksum are wrong");
        RdbReader in = new RdbReader(payload, 0, payload.length - 10);
        List<byte[]> codes = new ArrayList<>();
        try {
            while (in.remaining() > 0) {
                int type = in.readType();
                if (type != OPCODE_FUNCTION2 && type != OPCODE_FUNCTION) throw new Refused("given type is not a function");
                codes.add(in.readString());
            }
        } catch (IllegalArgumentException e) {
            throw new Refused("failed loading the given functions payload");
        }
        Map<String, Library> before = new LinkedHashMap<>(libraries);
        Map<String, Function> beforeFunctions = new LinkedHashMap<>(functions);
        List<Library> added = new ArrayList<>();
        try {
            if (policy == RestorePolicy.FLUSH) {
                libraries.clear();
                functions.clear();
            }
            for (byte[] code : codes) {
                Metadata md = Metadata.parse(code);
                if (libraries.containsKey(md.name) && policy != RestorePolicy.REPLACE) {
                    throw new Refused("Library " + md.name + " already exists");
                }
                Library lib = compile(code, true, libraries);
                added.add(lib);
                install(lib, libraries);
            }
        } catch (Refused e) {
            for (Library lib : added) for (Function f : lib.functions().values()) lua().release(f.ref());
            libraries.clear();
            libraries.putAll(before);
            functions.clear();
            functions.putAll(beforeFunctions);
            throw e;
        }
    }

    /** The libraries as stored with the data (the chronicle engine keeps them across restarts). */
    public byte[] serialize() {
        List<byte[]> codes = new ArrayList<>();
        int size = 4;
        for (Library lib : libraries.values()) {
            codes.add(lib.code());
            size += 4 + lib.code().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(codes.size());
        for (byte[] c : codes) b.putInt(c.length).put(c);
        return b.array();
    }

    /** The libraries' code in what {@link #serialize} wrote (readable on any thread, without Lua). */
    public static List<byte[]> storedCodes(byte[] stored) {
        List<byte[]> codes = new ArrayList<>();
        if (stored == null) return codes;
        ByteBuffer b = ByteBuffer.wrap(stored);
        int n = b.getInt();
        for (int i = 0; i < n; i++) {
            byte[] code = new byte[b.getInt()];
            b.get(code);
            codes.add(code);
        }
        return codes;
    }

    /** The library name a code's shebang line declares; {@link Refused} when it declares none. */
    public static String libraryName(byte[] code) {
        return Metadata.parse(code).name();
    }

    /** Loads what {@link #serialize} wrote; returns the reasons of libraries that failed to load. */
    public List<String> deserialize(byte[] stored) {
        List<String> failures = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(stored);
        int n = b.getInt();
        for (int i = 0; i < n; i++) {
            byte[] code = new byte[b.getInt()];
            b.get(code);
            try {
                load(code, true);
            } catch (Refused e) {
                failures.add(e.getMessage());
            }
        }
        return failures;
    }

    private static String folded(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean validName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) return false;
        }
        return true;
    }

    /** The polled time limit of FUNCTION LOAD. */
    private record LoadTimeout(long startedNanos) implements ScriptHost {
        @Override public Reply call(byte[][] args) { return new Reply.Error("ERR redis.call is not available while loading"); }
        @Override public boolean setResp(int version) { return false; }
        @Override public void log(int level, String message) {}
        @Override public boolean killRequested() { return (System.nanoTime() - startedNanos) / 1_000_000 > LOAD_TIMEOUT_MS; }
        @Override public String killMessage() { return "ERR FUNCTION LOAD timeout"; }
        @Override public int resp() { return 2; }
    }

    /** functionExtractLibMetaData: the shebang line's engine and name; the code Lua runs starts at its line feed. */
    private record Metadata(String engine, String name, int codeStart) {
        static Metadata parse(byte[] code) {
            if (code.length < 2 || code[0] != '#' || code[1] != '!') throw new Refused("Missing library metadata");
            int end = -1;
            for (int i = 0; i < code.length; i++) {
                if (code[i] == '\n') {
                    end = i;
                    break;
                }
            }
            if (end < 0) throw new Refused("Invalid library metadata");
            List<byte[]> parts = ArgSplitter.split(Arrays.copyOf(code, end));
            if (parts == null || parts.isEmpty()) throw new Refused("Invalid library metadata");
            String engine = new String(parts.get(0), StandardCharsets.ISO_8859_1).substring(2);
            String name = null;
            for (byte[] p : parts.subList(1, parts.size())) {
                String part = new String(p, StandardCharsets.ISO_8859_1);
                if (part.regionMatches(true, 0, "name=", 0, 5)) {
                    if (name != null) throw new Refused("Invalid metadata value, name argument was given multiple times");
                    name = part.substring(5);
                    continue;
                }
                throw new Refused("Invalid metadata value given: " + part);
            }
            if (name == null) throw new Refused("Library name was not given");
            return new Metadata(engine, name, end);
        }
    }
}
