package io.simplekv.command;

import io.simplekv.protocol.RedisError;
import io.simplekv.text.RedisNumbers;

import java.nio.charset.StandardCharsets;

/** Argument parsing with Redis's error replies, shared by every command group. */
public final class Args {
    private Args() {}

    public static long toLong(byte[] arg) {
        try {
            return RedisNumbers.parseLong(arg);
        } catch (RedisNumbers.NotAnInteger e) {
            throw RedisError.NOT_INTEGER;
        }
    }

    /** An integer that must fit Redis's int range (SELECT, COUNT-like options). */
    public static int toInt(byte[] arg) {
        long v = toLong(arg);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw RedisError.NOT_INTEGER;
        return (int) v;
    }

    public static double toDouble(byte[] arg) {
        double d = RedisNumbers.parseDouble(arg);
        if (Double.isNaN(d)) throw RedisError.NOT_FLOAT;
        return d;
    }

    public static boolean is(byte[] arg, String word) {
        if (arg.length != word.length()) return false;
        for (int i = 0; i < arg.length; i++) {
            int a = arg[i] & 0xff, w = word.charAt(i);
            if (a != w && (a | 0x20) != (w | 0x20)) return false;
            if (a != w && !Character.isLetter(w)) return false;
        }
        return true;
    }

    public static String text(byte[] arg) {
        return new String(arg, StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
