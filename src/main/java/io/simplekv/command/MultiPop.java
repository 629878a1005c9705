package io.simplekv.command;

import io.simplekv.protocol.RedisError;

import java.util.Arrays;

/**
 * LMPOP's, BLMPOP's, ZMPOP's and BZMPOP's arguments: numkeys at {@code numkeysAt}, the keys, a side word, then COUNT n.
 * {@code first} is true for the first side word (LEFT for lists, MIN for sorted sets).
 */
public record MultiPop(int firstKey, int endKey, boolean first, long count) {
    public static MultiPop parse(byte[][] a, int numkeysAt, String firstWord, String secondWord) {
        long numkeys;
        try {
            numkeys = Args.toLong(a[numkeysAt]);
        } catch (RedisError e) {
            throw RedisError.err("numkeys should be greater than 0");
        }
        if (numkeys <= 0) throw RedisError.err("numkeys should be greater than 0");
        if (numkeys > a.length - numkeysAt - 2) throw RedisError.SYNTAX;
        int where = numkeysAt + 1 + (int) numkeys;
        boolean first;
        if (Args.is(a[where], firstWord)) first = true;
        else if (Args.is(a[where], secondWord)) first = false;
        else throw RedisError.SYNTAX;
        long count = 1;
        if (a.length > where + 1) {
            if (a.length != where + 3 || !Args.is(a[where + 1], "COUNT")) throw RedisError.SYNTAX;
            try {
                count = Args.toLong(a[where + 2]);
            } catch (RedisError e) {
                throw RedisError.err("count should be greater than 0");
            }
            if (count <= 0) throw RedisError.err("count should be greater than 0");
        }
        return new MultiPop(numkeysAt + 1, where, first, count);
    }

    public java.util.List<byte[]> keys(byte[][] a) {
        return Arrays.asList(a).subList(firstKey, endKey);
    }
}
