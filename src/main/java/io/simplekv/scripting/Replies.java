package io.simplekv.scripting;

import io.simplekv.protocol.ReplySink;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes a {@link Reply} value (a script's result) to a reply sink, in whatever protocol the sink speaks. */
public final class Replies {
    private Replies() {}

    public static void write(Reply r, ReplySink out) {
        if (r instanceof Reply.Status s) out.simple(s.text());
        else if (r instanceof Reply.Error e) out.error(e.text());
        else if (r instanceof Reply.Int i) out.integer(i.value());
        else if (r instanceof Reply.Bulk b) out.bulk(b.bytes().getBytes(StandardCharsets.ISO_8859_1));
        else if (r instanceof Reply.Null) out.nullBulk();
        else if (r instanceof Reply.Array a) {
            out.array(a.items().size());
            writeAll(a.items(), out);
        } else if (r instanceof Reply.Map m) {
            out.map(m.pairs().size() / 2);
            writeAll(m.pairs(), out);
        } else if (r instanceof Reply.Set s) {
            out.set(s.items().size());
            writeAll(s.items(), out);
        } else if (r instanceof Reply.Double d) out.doubleValue(d.value());
        else if (r instanceof Reply.Bool b) out.bool(b.value());
        else if (r instanceof Reply.BigNumber n) out.bigNumber(n.digits());
        else if (r instanceof Reply.Verbatim v) out.verbatim(v.format(), v.text());
    }

    private static void writeAll(List<Reply> items, ReplySink out) {
        for (Reply r : items) write(r, out);
    }
}
