package io.simplekv.scripting;

import io.simplekv.text.DoubleText;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static party.iroiro.luajava.lua51.Lua51Consts.LUA_REGISTRYINDEX;

/**
 * Values across the Lua/Java line, with Redis's conversion rules (script_lua.c): a command's reply becomes Lua
 * values for redis.call (redisProtocolToLuaType), and a script's result becomes a reply (luaReplyToRedisReply).
 * Strings cross binary-safe in both directions.
 */
final class LuaValues {
    private static final int TNIL = 0, TBOOLEAN = 1, TNUMBER = 3, TSTRING = 4, TTABLE = 5;
    /**
     * The field names read from and written to reply tables (and the KEYS and ARGV globals), kept as Lua strings so
     * no name crosses JNI as a Java string per use.
     */
    private static final String[] FIELDS = {"err", "ok", "ignore_error_stats_update", "double", "big_number",
            "verbatim_string", "map", "set", "format", "string", "source", "line", "KEYS", "ARGV"};
    private static final int ERR = 0, OK = 1, IGNORE_STATS = 2, DOUBLE = 3, BIG_NUMBER = 4, VERBATIM = 5, MAP = 6,
            SET = 7, FORMAT = 8, STRING = 9, SOURCE = 10, LINE = 11;
    static final int KEYS = 12, ARGV = 13;
    private final Lua51Natives C;
    private int decoderRef;
    private final int[] fieldRefs = new int[FIELDS.length];

    LuaValues(Lua51Natives natives) {
        this.C = natives;
    }

    /**
     * LuaJava 4.0.2 pushes Java strings as modified UTF-8: NUL and bytes from 0x80 arrive as two-byte sequences,
     * which this Lua function folds back into the original bytes (only used for such values).
     */
    void installDecoder(long p) {
        String decoder = "local d = {['\\192\\128'] = '\\0'} for b = 128, 255 do "
                + "d[string.char(192 + math.floor(b / 64), 128 + b % 64)] = string.char(b) end "
                + "local gsub = string.gsub return function(s) return (gsub(s, '[\\192\\194\\195][\\128-\\191]', d)) end";
        if (C.luaL_loadstring(p, decoder) != 0 || C.lua_pcall(p, 0, 1, 0) != 0) {
            throw new IllegalStateException(C.lua_tostring(p, -1));
        }
        decoderRef = C.luaL_ref(p, LUA_REGISTRYINDEX);
        for (int i = 0; i < FIELDS.length; i++) {
            C.luaJ_pushstring(p, FIELDS[i]);
            fieldRefs[i] = C.luaL_ref(p, LUA_REGISTRYINDEX);
        }
    }

    /** Pushes one of the names this class keeps as Lua strings (e.g. {@link #KEYS}). */
    void pushField(long p, int field) {
        C.lua_rawgeti(p, LUA_REGISTRYINDEX, fieldRefs[field]);
    }

    void pushBytes(long p, byte[] b) {
        for (byte x : b) {
            if (x <= 0) {
                C.lua_rawgeti(p, LUA_REGISTRYINDEX, decoderRef);
                C.luaJ_pushstring(p, new String(b, StandardCharsets.ISO_8859_1));
                C.lua_pcall(p, 1, 1, 0);
                return;
            }
        }
        C.luaJ_pushstring(p, new String(b, StandardCharsets.ISO_8859_1));
    }

    private void pushText(long p, String s) {
        pushBytes(p, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The bytes of the string at idx (numbers are converted by Lua, as lua_tolstring does). */
    byte[] bytes(long p, int idx) {
        // lua_tostring makes a Java string with NewStringUTF, which costs far less than the direct buffer's upcall
        // into a constructor, but reads modified UTF-8 up to a NUL: exact for ASCII without NUL, which the length
        // (a NUL or a multi-byte sequence shortens the string) and the characters show. JNI says nothing of how a
        // malformed byte reads, so any character from 0x80 takes the exact path too.
        String s = C.lua_tostring(p, idx);
        if (s != null && s.length() == C.lua_objlen(p, idx) && ascii(s)) return s.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = (ByteBuffer) C.luaJ_todirectbuffer(p, idx);
        if (b == null) return new byte[0];
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    String string(long p, int idx) {
        return new String(bytes(p, idx), StandardCharsets.ISO_8859_1);
    }

    boolean isNumericString(long p, int idx) {
        return C.lua_isnumber(p, idx) != 0;
    }

    /**
     * A redis.call argument: a string as it is, a number as Redis formats it ({@code %.17g}: lua_tostring's %.14g
     * would lose precision), null for anything else.
     */
    byte[] argument(long p, int idx) {
        int t = C.lua_type(p, idx);
        if (t == TNUMBER) return formatNumber(C.lua_tonumber(p, idx)).getBytes(StandardCharsets.US_ASCII);
        if (t == TSTRING) return bytes(p, idx);
        return null;
    }

    /** snprintf("%.17g") as glibc prints it, NaN's sign included (0/0 is -nan on x86): DoubleText does both. */
    static String formatNumber(double d) {
        return DoubleText.format(d);
    }

    /** luaPushErrorBuff's format for an error reply's text: "CODE message", ERR for a text without a code. */
    static String errorText(String text) {
        String t = text.startsWith("-") ? text.substring(1) : text;
        t = t.indexOf(' ') < 0 ? "ERR " + t : t;
        int end = t.length();
        while (end > 0 && (t.charAt(end - 1) == '\r' || t.charAt(end - 1) == '\n')) end--;
        return t.substring(0, end);
    }

    /** Pushes {err = msg}: how Redis hands an error to Lua (raised by redis.call, returned by redis.pcall). */
    void pushErrorTable(long p, String msg) {
        C.lua_createtable(p, 0, 2);
        pushField(p, ERR);
        pushText(p, msg);
        C.lua_rawset(p, -3);
    }

    /**
     * redisProtocolToLuaType: a command's reply as the Lua value redis.call returns. False when the Lua stack can't
     * grow enough (a reply nested too deep), with nothing pushed.
     */
    boolean push(long p, Reply r, int resp) {
        if (C.lua_checkstack(p, 4) == 0) return false;
        if (r instanceof Reply.Status s) {
            C.lua_createtable(p, 0, 1);
            pushField(p, OK);
            pushText(p, s.text());
            C.lua_rawset(p, -3);
        } else if (r instanceof Reply.Error e) {
            pushErrorTable(p, errorText(e.text()));
            pushField(p, IGNORE_STATS);
            C.lua_pushboolean(p, 1);
            C.lua_rawset(p, -3);
        } else if (r instanceof Reply.Int i) {
            C.lua_pushnumber(p, i.value());
        } else if (r instanceof Reply.Bulk b) {
            pushText(p, b.bytes());
        } else if (r instanceof Reply.Null n) {
            if (resp == 2) C.lua_pushboolean(p, 0);
            else C.lua_pushnil(p);
        } else if (r instanceof Reply.Array a) {
            if (!pushArray(p, a.items(), resp)) return false;
        } else if (r instanceof Reply.Map m) {
            if (resp == 2) {
                if (!pushArray(p, m.pairs(), resp)) return false;
            } else {
                // Unsized, as Redis's lua_newtable: a presized hash part would change the order pairs() sees.
                C.lua_createtable(p, 0, 1);
                C.lua_createtable(p, 0, 0);
                for (int i = 0; i + 1 < m.pairs().size(); i += 2) {
                    if (!push(p, m.pairs().get(i), resp) || !push(p, m.pairs().get(i + 1), resp)) return popFail(p, 2);
                    C.lua_settable(p, -3);
                }
                C.lua_setfield(p, -2, "map");
            }
        } else if (r instanceof Reply.Set s) {
            if (resp == 2) {
                if (!pushArray(p, s.items(), resp)) return false;
            } else {
                C.lua_createtable(p, 0, 1);
                C.lua_createtable(p, 0, 0);
                for (Reply item : s.items()) {
                    if (!push(p, item, resp)) return popFail(p, 2);
                    C.lua_pushboolean(p, 1);
                    C.lua_settable(p, -3);
                }
                C.lua_setfield(p, -2, "set");
            }
        } else if (r instanceof Reply.Double d) {
            C.lua_createtable(p, 0, 1);
            C.lua_pushnumber(p, d.value());
            C.lua_setfield(p, -2, "double");
        } else if (r instanceof Reply.Bool b) {
            C.lua_pushboolean(p, b.value() ? 1 : 0);
        } else if (r instanceof Reply.BigNumber n) {
            C.lua_createtable(p, 0, 1);
            pushText(p, n.digits());
            C.lua_setfield(p, -2, "big_number");
        } else if (r instanceof Reply.Verbatim v) {
            C.lua_createtable(p, 0, 1);
            C.lua_createtable(p, 0, 2);
            pushText(p, v.text());
            C.lua_setfield(p, -2, "string");
            pushText(p, v.format());
            C.lua_setfield(p, -2, "format");
            C.lua_setfield(p, -2, "verbatim_string");
        }
        return true;
    }

    private boolean pushArray(long p, List<Reply> items, int resp) {
        C.lua_createtable(p, items.size(), 0);
        for (int i = 0; i < items.size(); i++) {
            if (!push(p, items.get(i), resp)) return popFail(p, 1);
            C.lua_rawseti(p, -2, i + 1);
        }
        return true;
    }

    private boolean popFail(long p, int n) {
        C.lua_pop(p, n);
        return false;
    }

    /**
     * luaReplyToRedisReply: the value on top of the stack (left there) as the reply a script returns. {@code resp}
     * is the script's own protocol (redis.setresp), which decides how a boolean is written.
     */
    Reply toReply(long p, int resp) {
        if (C.lua_checkstack(p, 4) == 0) return new Reply.Error("ERR reached lua stack limit");
        switch (C.lua_type(p, -1)) {
            case TSTRING -> {
                return new Reply.Bulk(string(p, -1));
            }
            case TBOOLEAN -> {
                boolean b = C.lua_toboolean(p, -1) != 0;
                if (resp == 2) return b ? new Reply.Int(1) : Reply.NULL;
                return new Reply.Bool(b);
            }
            case TNUMBER -> {
                return new Reply.Int(toLongLikeC(C.lua_tonumber(p, -1)));
            }
            case TTABLE -> {
                return tableToReply(p, resp);
            }
            default -> {
                return Reply.NULL;
            }
        }
    }

    /** (long long) of a lua_Number on x86-64: NaN and out-of-range values become LLONG_MIN (cvttsd2si). */
    static long toLongLikeC(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) return Long.MIN_VALUE;
        return (long) d;
    }

    private Reply tableToReply(long p, int resp) {
        if (rawField(p, ERR) == TSTRING) {
            String err = string(p, -1);
            C.lua_pop(p, 1);
            return new Reply.Error(err, alreadyCounted(p));
        }
        C.lua_pop(p, 1);
        if (rawField(p, OK) == TSTRING) {
            String ok = string(p, -1).replace('\r', ' ').replace('\n', ' ');
            C.lua_pop(p, 1);
            return new Reply.Status(ok);
        }
        C.lua_pop(p, 1);
        if (rawField(p, DOUBLE) == TNUMBER) {
            double d = C.lua_tonumber(p, -1);
            C.lua_pop(p, 1);
            return new Reply.Double(d);
        }
        C.lua_pop(p, 1);
        if (rawField(p, BIG_NUMBER) == TSTRING) {
            String n = string(p, -1).replace('\r', ' ').replace('\n', ' ');
            C.lua_pop(p, 1);
            return new Reply.BigNumber(n);
        }
        C.lua_pop(p, 1);
        if (rawField(p, VERBATIM) == TTABLE) {
            Reply v = verbatim(p);
            if (v != null) return v;
        }
        C.lua_pop(p, 1);
        if (rawField(p, MAP) == TTABLE) {
            List<Reply> pairs = new ArrayList<>();
            C.lua_pushnil(p);
            while (C.lua_next(p, -2) != 0) {
                C.lua_pushvalue(p, -2);
                pairs.add(toReply(p, resp));
                C.lua_pop(p, 1);
                pairs.add(toReply(p, resp));
                C.lua_pop(p, 1);
            }
            C.lua_pop(p, 1);
            return new Reply.Map(pairs);
        }
        C.lua_pop(p, 1);
        if (rawField(p, SET) == TTABLE) {
            List<Reply> items = new ArrayList<>();
            C.lua_pushnil(p);
            while (C.lua_next(p, -2) != 0) {
                C.lua_pop(p, 1);
                items.add(toReply(p, resp));
            }
            C.lua_pop(p, 1);
            return new Reply.Set(items);
        }
        C.lua_pop(p, 1);
        List<Reply> items = new ArrayList<>();
        for (int j = 1; ; j++) {
            C.lua_rawgeti(p, -1, j);
            if (C.lua_type(p, -1) == TNIL) {
                C.lua_pop(p, 1);
                break;
            }
            items.add(toReply(p, resp));
            C.lua_pop(p, 1);
        }
        return new Reply.Array(items);
    }

    /** With the verbatim_string table on top: the reply, the table popped; null (table left) if malformed. */
    private Reply verbatim(long p) {
        String format = rawField(p, FORMAT) == TSTRING ? string(p, -1) : null;
        C.lua_pop(p, 1);
        String text = rawField(p, STRING) == TSTRING ? string(p, -1) : null;
        C.lua_pop(p, 1);
        if (format == null || text == null) return null;
        C.lua_pop(p, 1);
        return new Reply.Verbatim(format, text);
    }

    /** Pushes t[FIELDS[key]] (raw) of the table on top and returns its type. */
    private int rawField(long p, int key) {
        // Lua 5.1 has no API checks: a raw get on anything but a table would crash the process, not raise.
        if (C.lua_type(p, -1) != TTABLE) throw new IllegalStateException("no table on top of the Lua stack");
        pushField(p, key);
        C.lua_rawget(p, -2);
        return C.lua_type(p, -1);
    }

    /**
     * The error a failed script replies with (luaCallFunction): the handler's table {err, source, line} becomes
     * "{err} script: {sha}, on {source}:{line}."; anything else "ERR Error running script {sha}, {message}".
     */
    Reply.Error failure(long p, String sha) {
        if (C.lua_type(p, -1) != TTABLE) {
            String msg = C.lua_type(p, -1) == TSTRING || C.lua_type(p, -1) == TNUMBER ? string(p, -1) : "execution failure";
            if (msg.length() > 100) msg = msg.substring(0, 100);
            return new Reply.Error("ERR Error running script " + sha + ", " + msg);
        }
        String err = field(p, ERR), source = field(p, SOURCE), line = field(p, LINE);
        // error({}): redis-server 7.0.15 crashes here (a null message); later Redis versions fall back to a generic one.
        if (err == null) err = "ERR unknown error";
        if (source != null && line != null) err += " script: " + sha + ", on " + source + ":" + line + ".";
        return new Reply.Error(err, alreadyCounted(p));
    }

    /** The error table on top came from a failed redis.call, whose error the stats counted then. */
    private boolean alreadyCounted(long p) {
        boolean counted = rawField(p, IGNORE_STATS) == TBOOLEAN && C.lua_toboolean(p, -1) != 0;
        C.lua_pop(p, 1);
        return counted;
    }

    /**
     * luaExtractErrorInformation's message of the error on top: a table's err field, or "ERR " and the text of a
     * string error (FUNCTION LOAD's errors, which run without the error handler).
     */
    String errorMessage(long p) {
        int t = C.lua_type(p, -1);
        if (t == TSTRING || t == TNUMBER) return "ERR " + string(p, -1);
        if (t == TTABLE) {
            String err = field(p, ERR);
            if (err != null) return err;
        }
        return "ERR unknown error";
    }

    /** Raw, like every read of a script's tables here: a metamethod that raised would have no pcall around it. */
    private String field(long p, int k) {
        rawField(p, k);
        String v = C.lua_type(p, -1) == TSTRING || C.lua_type(p, -1) == TNUMBER ? string(p, -1) : null;
        C.lua_pop(p, 1);
        return v;
    }
}
