package io.simplekv.command;

import io.simplekv.text.RedisNumbers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.simplekv.command.KeySpec.Flag.ACCESS;
import static io.simplekv.command.KeySpec.Flag.DELETE;
import static io.simplekv.command.KeySpec.Flag.OW;
import static io.simplekv.command.KeySpec.Flag.RO;
import static io.simplekv.command.KeySpec.Flag.RW;
import static io.simplekv.command.KeySpec.Flag.UPDATE;

/**
 * The getkeys procedures Redis 7.0.15 keeps (db.c) for the commands whose key specs cannot always tell the keys:
 * they are asked when the specs are incomplete, unknown or have variable flags, or fail on a request (a bad
 * numkeys). Each follows Redis's parsing exactly, including what it does with malformed requests; the catalog
 * names the procedure of each command by Redis's function name.
 */
enum GetKeysProcedure {
    SORT("sortGetKeys") {
        @Override
        List<KeyRef> find(byte[][] a) {
            List<KeyRef> keys = new ArrayList<>(2);
            keys.add(new KeyRef(1, Set.of(RO, ACCESS)));
            // Options take 0 arguments unless listed; the last STORE wins, as in SORT itself.
            KeyRef store = null;
            for (int i = 2; i < a.length; i++) {
                if (Args.is(a[i], "limit")) i += 2;
                else if (Args.is(a[i], "get") || Args.is(a[i], "by")) i += 1;
                else if (Args.is(a[i], "store") && i + 1 < a.length) store = new KeyRef(i + 1, Set.of(OW, UPDATE));
            }
            if (store != null) keys.add(store);
            return keys;
        }
    },
    SORT_RO("sortROGetKeys") {
        @Override
        List<KeyRef> find(byte[][] a) {
            return List.of(new KeyRef(1, Set.of(RO, ACCESS)));
        }
    },
    MIGRATE("migrateGetKeys") {
        @Override
        List<KeyRef> find(byte[][] a) {
            int first = 3, num = 1;
            if (a.length > 6) {
                for (int i = 6; i < a.length; i++) {
                    if (Args.is(a[i], "keys")) {
                        if (a[3].length > 0) {
                            num = 0; // a key and KEYS both: MIGRATE replies with the syntax error
                        } else {
                            first = i + 1;
                            num = a.length - first;
                        }
                        break;
                    }
                    if (Args.is(a[i], "auth")) i += 1;
                    else if (Args.is(a[i], "auth2")) i += 2;
                }
            }
            List<KeyRef> keys = new ArrayList<>(num);
            for (int i = 0; i < num; i++) keys.add(new KeyRef(first + i, Set.of(RW, ACCESS, DELETE)));
            return keys;
        }
    },
    GEORADIUS("georadiusGetKeys") {
        @Override
        List<KeyRef> find(byte[][] a) {
            int stored = -1;
            for (int i = 5; i < a.length; i++) {
                // STORE and STOREDIST both: the later one wins, as in GEORADIUS itself.
                if ((Args.is(a[i], "store") || Args.is(a[i], "storedist")) && i + 1 < a.length) {
                    stored = i + 1;
                    i++;
                }
            }
            if (stored < 0) return List.of(new KeyRef(1, KeyRef.NO_FLAGS));
            return List.of(new KeyRef(1, KeyRef.NO_FLAGS), new KeyRef(stored, KeyRef.NO_FLAGS));
        }
    },
    XREAD("xreadGetKeys") {
        @Override
        List<KeyRef> find(byte[][] a) {
            int streams = -1;
            for (int i = 1; i < a.length; i++) {
                if (Args.is(a[i], "block") || Args.is(a[i], "count")) {
                    i++;
                } else if (Args.is(a[i], "group")) {
                    i += 2;
                } else if (Args.is(a[i], "noack")) {
                    continue;
                } else {
                    if (Args.is(a[i], "streams")) streams = i;
                    break;
                }
            }
            int num = streams < 0 ? 0 : a.length - streams - 1;
            if (num == 0 || num % 2 != 0) return List.of();
            List<KeyRef> keys = new ArrayList<>(num / 2);
            for (int i = streams + 1; i < a.length - num / 2; i++) keys.add(new KeyRef(i, KeyRef.NO_FLAGS));
            return keys;
        }
    },
    SET("setGetKeys") {
        @Override
        List<KeyRef> find(byte[][] a) {
            for (int i = 3; i < a.length; i++) {
                if (Args.is(a[i], "get")) return List.of(new KeyRef(1, Set.of(RW, ACCESS, UPDATE)));
            }
            return List.of(new KeyRef(1, Set.of(OW, UPDATE)));
        }
    },
    BITFIELD("bitfieldGetKeys") {
        @Override
        List<KeyRef> find(byte[][] a) {
            boolean readonly = true;
            for (int i = 2; i < a.length; i++) {
                int more = a.length - i - 1;
                if (Args.is(a[i], "get") && more >= 2) {
                    i += 2;
                } else if ((Args.is(a[i], "set") || Args.is(a[i], "incrby")) && more >= 3) {
                    readonly = false;
                    break;
                } else if (Args.is(a[i], "overflow") && more >= 1) {
                    i += 1;
                } else {
                    readonly = false; // a syntax error: Redis assumes the worst
                    break;
                }
            }
            return List.of(new KeyRef(1, readonly ? Set.of(RO, ACCESS) : Set.of(RW, ACCESS, UPDATE)));
        }
    },
    SINTERCARD("sintercardGetKeys", 0, 1, 2),
    ZUNION_INTER_DIFF("zunionInterDiffGetKeys", 0, 1, 2),
    ZUNION_INTER_DIFF_STORE("zunionInterDiffStoreGetKeys", 1, 2, 3),
    EVAL("evalGetKeys", 0, 2, 3),
    FUNCTION("functionGetKeys", 0, 2, 3),
    LMPOP("lmpopGetKeys", 0, 1, 2),
    BLMPOP("blmpopGetKeys", 0, 2, 3),
    ZMPOP("zmpopGetKeys", 0, 1, 2),
    BZMPOP("bzmpopGetKeys", 0, 2, 3);

    /** The name of Redis's C function, as the catalog gives it. */
    final String redisName;
    /** For Redis's genericGetKeys: [destination], numkeys, then that many keys (step 1); 0 = no destination. */
    private final int storeAt;
    private final int countAt;
    private final int firstAt;

    GetKeysProcedure(String redisName) {
        this(redisName, 0, 0, 0);
    }

    GetKeysProcedure(String redisName, int storeAt, int countAt, int firstAt) {
        this.redisName = redisName;
        this.storeAt = storeAt;
        this.countAt = countAt;
        this.firstAt = firstAt;
    }

    /** The keys of a request that already passed the arity check; empty when the request names none. */
    List<KeyRef> find(byte[][] a) {
        // genericGetKeys: atoi, so "2x" counts 2; a count that cannot be right names no keys (the command errs).
        long num = RedisNumbers.atoi(a[countAt]);
        if (num < 1 || num > a.length - firstAt) return List.of();
        List<KeyRef> keys = new ArrayList<>((int) num + 1);
        for (int i = 0; i < num; i++) keys.add(new KeyRef(firstAt + i, KeyRef.NO_FLAGS));
        if (storeAt > 0) keys.add(new KeyRef(storeAt, KeyRef.NO_FLAGS)); // after the sources, as Redis lists it
        return keys;
    }

    static GetKeysProcedure byRedisName(String name) {
        for (GetKeysProcedure p : values()) if (p.redisName.equals(name)) return p;
        throw new IllegalArgumentException("no getkeys procedure " + name);
    }
}
