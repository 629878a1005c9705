package io.simplekv.text;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line into arguments the way Redis's sdssplitargs does: spaces separate, "double quotes" take
 * C escapes (\n \r \t \b \a \xHH), 'single quotes' take only \'. Inline commands and config files share it.
 */
public final class ArgSplitter {
    private ArgSplitter() {}

    /** The arguments, or null when quotes are unbalanced or a closing quote is not followed by a space. */
    public static List<byte[]> split(byte[] line) {
        List<byte[]> args = new ArrayList<>();
        int i = 0, n = line.length;
        while (true) {
            while (i < n && isSpace(line[i])) i++;
            if (i >= n) return args;
            ByteArrayOutputStream cur = new ByteArrayOutputStream();
            boolean inDouble = false, inSingle = false, done = false;
            while (!done) {
                if (inDouble) {
                    if (i >= n) return null;
                    byte c = line[i];
                    if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
                        cur.write(hex(line[i + 2]) * 16 + hex(line[i + 3]));
                        i += 3;
                    } else if (c == '\\' && i + 1 < n) {
                        i++;
                        cur.write(switch (line[i]) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> line[i];
                        });
                    } else if (c == '"') {
                        if (i + 1 < n && !isSpace(line[i + 1])) return null;
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else if (inSingle) {
                    if (i >= n) return null;
                    byte c = line[i];
                    if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
                        i++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (i + 1 < n && !isSpace(line[i + 1])) return null;
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else {
                    if (i >= n) { done = true; continue; }
                    byte c = line[i];
                    if (isSpace(c)) done = true;
                    else if (c == '"') inDouble = true;
                    else if (c == '\'') inSingle = true;
                    else cur.write(c);
                }
                if (i < n) i++;
            }
            args.add(cur.toByteArray());
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return c - 'A' + 10;
    }
}
