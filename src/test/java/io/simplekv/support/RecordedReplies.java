package io.simplekv.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests and the replies Redis 7.0.15 gave them, as scripts/tools/record-redis-commands.sh writes them under
 * src/test/resources/redis-7.0.15: a '#' line, then per entry "request n\n" + n bytes + "\n" + "reply m\n" +
 * m bytes + "\n". Bytes are kept as ISO-8859-1 text, one char per byte, as {@link Wire} returns replies.
 */
public final class RecordedReplies {
    /** One recorded exchange; request is the RESP array sent, reply exactly what Redis answered. */
    public record Entry(String request, String reply) {
        /** The request's arguments. */
        public List<String> args() {
            List<Object> parsed = RespParser.array(request);
            List<String> out = new ArrayList<>();
            for (Object o : parsed) out.add((String) o);
            return out;
        }
    }

    private RecordedReplies() {}

    public static List<Entry> load(String name) {
        String text;
        try (InputStream in = RecordedReplies.class.getResourceAsStream("/redis-7.0.15/" + name)) {
            if (in == null) throw new IllegalStateException("no recorded file " + name);
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!text.startsWith("#")) throw new IllegalStateException(name + " has no header line");
        int pos = text.indexOf('\n') + 1;
        List<Entry> entries = new ArrayList<>();
        while (pos < text.length()) {
            String[] request = section(text, pos, "request");
            pos = Integer.parseInt(request[1]);
            String[] reply = section(text, pos, "reply");
            pos = Integer.parseInt(reply[1]);
            entries.add(new Entry(request[0], reply[0]));
        }
        return entries;
    }

    /** The body of "label n\n" + n bytes + "\n" at pos, and the position after it. */
    private static String[] section(String text, int pos, String label) {
        int eol = text.indexOf('\n', pos);
        String[] head = text.substring(pos, eol).split(" ");
        if (!head[0].equals(label)) throw new IllegalStateException("expected " + label + " at " + pos);
        int start = eol + 1, end = start + Integer.parseInt(head[1]);
        if (text.charAt(end) != '\n') throw new IllegalStateException("bad length at " + pos);
        return new String[] {text.substring(start, end), Integer.toString(end + 1)};
    }
}
