package io.simplekv.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds expected RESP text for assertions, and encodes requests. */
public final class Resp {
    private Resp() {}

    public static final String OK = "+OK\r\n";
    public static final String NIL = "$-1\r\n";

    public static String bulk(String s) {
        return "$" + s.getBytes(StandardCharsets.UTF_8).length + "\r\n" + s + "\r\n";
    }

    public static String integer(long n) {
        return ":" + n + "\r\n";
    }

    public static String error(String message) {
        return "-" + message + "\r\n";
    }

    public static String simple(String s) {
        return "+" + s + "\r\n";
    }

    /** An array of bulk strings; null elements become nil bulks. */
    public static String array(String... items) {
        StringBuilder b = new StringBuilder("*").append(items.length).append("\r\n");
        for (String i : items) b.append(i == null ? NIL : bulk(i));
        return b.toString();
    }

    public static String command(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) b.append(bulk(a));
        return b.toString();
    }

    public static byte[] command(byte[]... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            out.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(a);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }
}
