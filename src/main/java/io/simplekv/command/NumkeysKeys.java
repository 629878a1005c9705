package io.simplekv.command;

/**
 * Key positions of commands that say how many keys follow (ZUNION, ZINTERSTORE, ZMPOP, BZMPOP ...): an optional
 * destination, then {@code numkeys} keys after the count. A count that is not a number or too big names no keys
 * beyond the destination; the handler then replies with the error.
 */
record NumkeysKeys(int destination, int numkeysAt) implements CommandSpec.KeyFinder {
    static final int NONE = -1;

    @Override
    public int[] find(byte[][] args) {
        long n;
        try {
            n = Args.toLong(args[numkeysAt]);
        } catch (RuntimeException e) {
            n = 0;
        }
        if (n < 0 || n > args.length - numkeysAt - 1) n = 0;
        int first = destination == NONE ? 0 : 1;
        int[] keys = new int[first + (int) n];
        if (destination != NONE) keys[0] = destination;
        for (int i = 0; i < n; i++) keys[first + i] = numkeysAt + 1 + i;
        return keys;
    }
}
