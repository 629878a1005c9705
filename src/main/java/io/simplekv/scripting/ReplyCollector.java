package io.simplekv.scripting;

import io.simplekv.protocol.ReplySink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A ReplySink that keeps the reply as a {@link Reply} value instead of writing RESP: how a script's redis.call
 * gets the reply of the command it ran. Aggregates are filled as their elements arrive; the finished top-level
 * value is {@link #reply()}.
 */
public final class ReplyCollector implements ReplySink {
    /** An aggregate being filled: its kind, how many elements it still expects, and those it has. */
    private static final class Open {
        final char kind;
        int remaining;
        final List<Reply> items;

        Open(char kind, int expected) {
            this.kind = kind;
            this.remaining = expected;
            this.items = new ArrayList<>(Math.min(expected, 1024));
        }

        Reply close() {
            return switch (kind) {
                case '%' -> new Reply.Map(items);
                case '~' -> new Reply.Set(items);
                case '|' -> null; // attributes reach no script, as Redis's parser skips them
                default -> new Reply.Array(items);
            };
        }
    }

    /** Whether the command's session speaks RESP3 (redis.setresp(3)): doubles, booleans... keep their types. */
    private final boolean resp3;
    private final Deque<Open> open = new ArrayDeque<>();
    private final List<Reply> done = new ArrayList<>(1);

    public ReplyCollector() {
        this(2);
    }

    public ReplyCollector(int resp) {
        this.resp3 = resp >= 3;
    }

    /** The reply written, or null if none has been (a command always writes exactly one). */
    public Reply reply() {
        return done.isEmpty() ? null : done.get(done.size() - 1);
    }

    private void add(Reply r) {
        while (r != null) {
            Open o = open.peek();
            if (o == null) {
                done.add(r);
                return;
            }
            o.items.add(r);
            if (--o.remaining > 0) return;
            open.pop();
            r = o.close();
        }
    }

    private void begin(char kind, int n) {
        if (n == 0) add(new Open(kind, 0).close());
        else open.push(new Open(kind, n));
    }

    @Override public void ok() { add(new Reply.Status("OK")); }
    @Override public void simple(String s) { add(new Reply.Status(s)); }
    @Override public void error(String message) { add(new Reply.Error(message)); }
    @Override public void integer(long v) { add(new Reply.Int(v)); }

    @Override
    public void bulk(byte[] b, int off, int len) {
        add(new Reply.Bulk(new String(b, off, len, StandardCharsets.ISO_8859_1)));
    }

    @Override public void nullBulk() { add(Reply.NULL); }
    @Override public void nullArray() { add(Reply.NULL); }
    @Override public void array(int n) { begin('*', n); }
    @Override public void map(int n) { begin('%', 2 * n); }
    @Override public void set(int n) { begin('~', n); }
    @Override public void attribute(int n) { begin('|', 2 * n); }

    @Override
    public void doubleValue(double d) {
        if (resp3) add(new Reply.Double(d));
        else ReplySink.super.doubleValue(d);
    }

    /** A script gets the number Redis's Lua conversion would parse from the text. */
    @Override
    public void doubleValue(double d, String text) {
        if (resp3) add(new Reply.Double(Double.parseDouble(text)));
        else ReplySink.super.doubleValue(d, text);
    }

    @Override
    public void bool(boolean b) {
        if (resp3) add(new Reply.Bool(b));
        else ReplySink.super.bool(b);
    }

    @Override
    public void bigNumber(String digits) {
        if (resp3) add(new Reply.BigNumber(digits));
        else ReplySink.super.bigNumber(digits);
    }

    @Override
    public void verbatim(String format, String text) {
        if (resp3) add(new Reply.Verbatim(format, text));
        else ReplySink.super.verbatim(format, text);
    }

    /**
     * A mark is the number of finished values: the command service marks before a command starts writing, when
     * nothing is open, and rewinds there to replace a half-written reply with an error.
     */
    @Override
    public long mark() {
        return done.size();
    }

    @Override
    public void rewind(long mark) {
        open.clear();
        while (done.size() > mark) done.remove(done.size() - 1);
    }
}
