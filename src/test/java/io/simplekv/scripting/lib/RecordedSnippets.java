package io.simplekv.scripting.lib;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lua snippets and what Redis 7.0.15 returned for them, as scripts/tools/record-lua-libs.sh writes them to
 * src/test/resources/redis-7.0.15/lua-libs.LIB.replies: a '#' line, then per entry "snippet NAME\n",
 * "script n\n" + n bytes + "\n", "reply m\n" + m bytes + "\n". Bytes are kept one char per byte (ISO-8859-1).
 */
final class RecordedSnippets {
    /** One snippet: its name, the EVAL script that ran it, and the bulk string Redis answered. */
    record Snippet(String library, String name, String script, String reply) {
        @Override
        public String toString() {
            return library + "/" + name;
        }
    }

    private RecordedSnippets() {}

    static List<Snippet> load(String library) {
        String file = "lua-libs." + library + ".replies";
        String text;
        try (InputStream in = RecordedSnippets.class.getResourceAsStream("/redis-7.0.15/" + file)) {
            if (in == null) throw new IllegalStateException("no recorded file " + file);
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!text.startsWith("#")) throw new IllegalStateException(file + " has no header line");
        int pos = text.indexOf('\n') + 1;
        List<Snippet> out = new ArrayList<>();
        while (pos < text.length()) {
            int eol = text.indexOf('\n', pos);
            String head = text.substring(pos, eol);
            if (!head.startsWith("snippet ")) throw new IllegalStateException(file + ": expected a snippet at " + pos);
            String[] script = section(text, eol + 1, "script");
            String[] reply = section(text, Integer.parseInt(script[1]), "reply");
            pos = Integer.parseInt(reply[1]);
            out.add(new Snippet(library, head.substring("snippet ".length()), script[0], reply[0]));
        }
        return out;
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
