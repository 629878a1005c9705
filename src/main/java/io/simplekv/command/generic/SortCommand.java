package io.simplekv.command.generic;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Notify;
import io.simplekv.command.Session;
import io.simplekv.command.sorted_set.ZSetCommands;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.FieldTable;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.ListTable;
import io.simplekv.keyspace.Records;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/**
 * SORT and SORT_RO, as Redis's sort.c: sort a list, set or sorted set numerically or by bytes (ALPHA), optionally
 * by weights from other keys (BY pattern), returning elements or values of other keys (GET pattern), with LIMIT
 * and STORE. BY/GET patterns read keys the command does not name, so such a request locks every shard.
 */
public final class SortCommand {
    private SortCommand() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("sort", (c, a, o) -> sort(c, a, o, false))
                .readsUnnamedKeys(SortCommand::readsPatternKeys));
        t.add(command("sort_ro", (c, a, o) -> sort(c, a, o, true)).readsUnnamedKeys(SortCommand::readsPatternKeys));
    }

    /** A GET or BY pattern names keys the arguments don't (SORT's BY/GET), so such a request locks every shard. */
    private static boolean readsPatternKeys(byte[][] a) {
        for (int i = 2; i + 1 < a.length; i++) {
            if (Args.is(a[i], "GET") || Args.is(a[i], "BY")) return true;
        }
        return false;
    }

    private static final class Item {
        final byte[] element;
        double score;
        byte[] weight; // ALPHA ... BY: the weight's bytes, null when its key is missing

        Item(byte[] element) {
            this.element = element;
        }
    }

    static void sort(Session c, byte[][] a, ReplySink out, boolean readonly) {
        boolean desc = false, alpha = false, dontSort = false;
        long offset = 0, count = -1;
        byte[] by = null, store = null;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < a.length; j++) {
            int left = a.length - j - 1;
            if (Args.is(a[j], "ASC")) desc = false;
            else if (Args.is(a[j], "DESC")) desc = true;
            else if (Args.is(a[j], "ALPHA")) alpha = true;
            else if (Args.is(a[j], "LIMIT") && left >= 2) {
                offset = Args.toLong(a[j + 1]);
                count = Args.toLong(a[j + 2]);
                j += 2;
            } else if (!readonly && Args.is(a[j], "STORE") && left >= 1) store = a[++j];
            else if (Args.is(a[j], "BY") && left >= 1) {
                by = a[++j];
                dontSort = indexOf(by, (byte) '*', 0) < 0;
            } else if (Args.is(a[j], "GET") && left >= 1) gets.add(a[++j]);
            else throw RedisError.SYNTAX;
        }
        Database db = c.db();
        byte[] rec = db.read(a[1]);
        KeyType type = rec == null ? KeyType.LIST : Records.type(rec);
        if (type != KeyType.LIST && type != KeyType.SET && type != KeyType.ZSET) throw RedisError.WRONGTYPE;
        List<byte[]> elements = elements(c, a[1], type);
        // A set has no order of its own: sorting it BY a constant would not be repeatable (a stored result, or a
        // script's, which replicas must reproduce), so Redis sorts by bytes.
        if (dontSort && type == KeyType.SET && (store != null || c.isScript())) {
            dontSort = false;
            alpha = true;
            by = null;
        }
        int n = elements.size();
        long start = Math.min(Math.max(offset, 0), n);
        count = Math.min(Math.max(count, -1), n);
        long end = count < 0 ? n - 1 : start + count - 1;
        if (start >= n) {
            start = n - 1;
            end = n - 2;
        }
        if (end >= n) end = n - 1;
        List<Item> items = new ArrayList<>(n);
        if (dontSort && type != KeyType.SET && desc) { // lists and sorted sets keep their own order
            for (int i = n - 1; i >= 0; i--) items.add(new Item(elements.get(i)));
        } else {
            for (byte[] e : elements) items.add(new Item(e));
        }
        if (!dontSort) {
            if (weigh(db, items, by, alpha)) throw RedisError.err("One or more scores can't be converted into double");
            items.sort(order(alpha, by != null, desc));
        }
        reply(c, a, out, items, (int) start, (int) end, gets, store);
    }

    private static List<byte[]> elements(Session c, byte[] key, KeyType type) {
        if (type == KeyType.SET) {
            List<byte[]> members = new ArrayList<>();
            FieldTable s = FieldTable.open(c.db(), key, KeyType.SET, c.server().config().setLimits);
            if (s != null) s.forEach((m, v) -> members.add(m));
            return members;
        }
        if (type == KeyType.ZSET) {
            List<byte[]> members = new ArrayList<>();
            io.simplekv.keyspace.ZSetTable z = ZSetCommands.read(c, key);
            if (z != null) z.forEach((m, score) -> members.add(m));
            return members;
        }
        ListTable l = ListTable.open(c.db(), key);
        return l == null ? new ArrayList<>() : l.all();
    }

    /** Loads each item's sort weight; true when a numeric weight could not be parsed (Redis still sorts first). */
    private static boolean weigh(Database db, List<Item> items, byte[] by, boolean alpha) {
        boolean error = false;
        for (Item it : items) {
            byte[] w = by == null ? it.element : lookup(db, by, it.element);
            if (w == null) continue;
            if (alpha) {
                if (by != null) it.weight = w;
            } else {
                double d = strtod(w);
                if (Double.isNaN(d)) error = true;
                else it.score = d;
            }
        }
        return error;
    }

    /** C's strtod over the whole value: leading spaces allowed, the empty string is 0, NaN and junk are errors. */
    private static double strtod(byte[] w) {
        int i = 0;
        while (i < w.length && Character.isWhitespace(w[i])) i++;
        if (i == w.length) return i == 0 ? 0 : Double.NaN;
        return io.simplekv.text.RedisNumbers.parseDouble(Arrays.copyOfRange(w, i, w.length));
    }

    private static Comparator<Item> order(boolean alpha, boolean byPattern, boolean desc) {
        Comparator<Item> cmp;
        if (!alpha) {
            cmp = (x, y) -> x.score > y.score ? 1 : x.score < y.score ? -1 : Arrays.compareUnsigned(x.element, y.element);
        } else if (byPattern) {
            cmp = (x, y) -> x.weight == null || y.weight == null
                    ? (x.weight == y.weight ? 0 : x.weight == null ? -1 : 1)
                    : Arrays.compareUnsigned(x.weight, y.weight);
        } else {
            cmp = (x, y) -> Arrays.compareUnsigned(x.element, y.element);
        }
        return desc ? cmp.reversed() : cmp;
    }

    private static void reply(Session c, byte[][] a, ReplySink out, List<Item> items, int start, int end,
                              List<byte[]> gets, byte[] store) {
        Database db = c.db();
        int outputLen = (gets.isEmpty() ? 1 : gets.size()) * (end - start + 1);
        if (store == null) {
            out.array(outputLen);
            for (int j = start; j <= end; j++) {
                byte[] e = items.get(j).element;
                if (gets.isEmpty()) out.bulk(e);
                for (byte[] g : gets) out.bulkOrNull(lookup(db, g, e));
            }
            return;
        }
        List<byte[]> result = new ArrayList<>(Math.max(outputLen, 0));
        for (int j = start; j <= end; j++) {
            byte[] e = items.get(j).element;
            if (gets.isEmpty()) result.add(e);
            for (byte[] g : gets) {
                byte[] v = lookup(db, g, e);
                result.add(v == null ? new byte[0] : v);
            }
        }
        boolean existed = db.delete(store);
        if (!result.isEmpty()) {
            ListTable l = ListTable.openOrCreate(db, store);
            for (byte[] e : result) l.push(false, e);
            l.commit();
            Notify.list(c, "sortstore", store);
        } else if (existed) {
            Notify.generic(c, "del", store);
        }
        out.integer(result.size());
    }

    /**
     * Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first '*' becomes the element and the
     * string key of that name is read, or with "->field" after the '*', that field of the hash. Null when missing.
     */
    static byte[] lookup(Database db, byte[] pattern, byte[] element) {
        if (pattern.length == 1 && pattern[0] == '#') return element;
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) return null;
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i + 2 < pattern.length ? i : -1;
                break;
            }
        }
        int keyEnd = arrow < 0 ? pattern.length : arrow;
        byte[] key = new byte[star + element.length + keyEnd - star - 1];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        byte[] rec = db.lookup(key);
        if (rec == null) return null;
        if (arrow < 0) return Records.type(rec) == KeyType.STRING ? Records.payload(rec) : null;
        if (Records.type(rec) != KeyType.HASH) return null;
        FieldTable h = FieldTable.open(db, key, KeyType.HASH, io.simplekv.keyspace.CollectionLimits.REDIS_DEFAULTS);
        return h.get(Arrays.copyOfRange(pattern, arrow + 2, pattern.length));
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == x) return i;
        return -1;
    }
}
