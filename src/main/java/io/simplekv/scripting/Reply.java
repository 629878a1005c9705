package io.simplekv.scripting;

import java.util.List;

/**
 * A command's reply as a value, for a script to turn into Lua values: what a script's redis.call gets back. The
 * shapes are the ones a ReplySink writes (RESP2's, plus maps and sets, which a RESP2 script sees as arrays).
 */
public sealed interface Reply {
    record Status(String text) implements Reply {}

    /**
     * An error; the text carries its code ("ERR ...", "WRONGTYPE ..."). {@code counted}: the error stats already
     * have it (a failed redis.call's error that a script raised or returned as it was).
     */
    record Error(String text, boolean counted) implements Reply {
        public Error(String text) {
            this(text, false);
        }
    }

    record Int(long value) implements Reply {}

    /** A bulk string, its bytes one per char (ISO-8859-1). */
    record Bulk(String bytes) implements Reply {}

    /** RESP2's $-1 or *-1: both are false in Lua. */
    record Null() implements Reply {}

    record Array(List<Reply> items) implements Reply {}

    /** Key, value, key, value ... */
    record Map(List<Reply> pairs) implements Reply {}

    record Set(List<Reply> items) implements Reply {}

    // What a script may return beyond what commands reply with (redis.setresp(3) values, written per protocol).

    record Double(double value) implements Reply {}

    record Bool(boolean value) implements Reply {}

    record BigNumber(String digits) implements Reply {}

    record Verbatim(String format, String text) implements Reply {}

    Null NULL = new Null();
}
