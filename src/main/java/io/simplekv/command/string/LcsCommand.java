package io.simplekv.command.string;

import io.simplekv.command.Args;
import io.simplekv.command.CommandTable;
import io.simplekv.command.Session;
import io.simplekv.keyspace.Database;
import io.simplekv.keyspace.KeyType;
import io.simplekv.keyspace.Records;
import io.simplekv.protocol.RedisError;
import io.simplekv.protocol.ReplySink;

import java.util.ArrayList;
import java.util.List;

import static io.simplekv.command.CommandSpec.command;

/** LCS: the longest common subsequence of two strings, its length, or its matching ranges, as Redis 7.0 computes them. */
public final class LcsCommand {
    private LcsCommand() {}

    public static void register(CommandTable.Builder t) {
        t.add(command("lcs", LcsCommand::lcs));
    }

    static void lcs(Session c, byte[][] a, ReplySink out) {
        Database db = c.db();
        byte[] ra = db.read(a[1]), rb = db.read(a[2]);
        if ((ra != null && Records.type(ra) != KeyType.STRING) || (rb != null && Records.type(rb) != KeyType.STRING)) {
            throw RedisError.err("The specified keys must contain string values");
        }
        boolean len = false, idx = false, withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < a.length; j++) {
            if (Args.is(a[j], "idx")) idx = true;
            else if (Args.is(a[j], "len")) len = true;
            else if (Args.is(a[j], "withmatchlen")) withMatchLen = true;
            else if (Args.is(a[j], "minmatchlen") && j + 1 < a.length) minMatchLen = Math.max(0, Args.toLong(a[++j]));
            else throw RedisError.SYNTAX;
        }
        if (len && idx) throw RedisError.err("If you want both the length and indexes, please just use IDX.");
        byte[] x = ra == null ? new byte[0] : Records.payload(ra);
        byte[] y = rb == null ? new byte[0] : Records.payload(rb);
        int cols = y.length + 1;
        long cells = (long) (x.length + 1) * cols;
        // Redis sizes its table as 4-byte cells and refuses one larger than proto-max-bulk-len.
        if (cells * 4 > c.server().config().protoMaxBulkLen) {
            throw RedisError.err("Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int[] table;
        try {
            table = new int[(int) cells];
        } catch (OutOfMemoryError e) {
            throw RedisError.err("Insufficient memory, failed allocating transient memory for LCS");
        }
        // table[i * cols + j] is the LCS length of x[0, i) and y[0, j).
        for (int i = 1; i <= x.length; i++) {
            for (int j = 1; j <= y.length; j++) {
                table[i * cols + j] = x[i - 1] == y[j - 1] ? table[(i - 1) * cols + j - 1] + 1
                        : Math.max(table[(i - 1) * cols + j], table[i * cols + j - 1]);
            }
        }
        int total = table[x.length * cols + y.length];
        if (len) {
            out.integer(total);
            return;
        }
        // Walk back from the end, collecting the common string and its runs of consecutive matches (last first).
        byte[] common = new byte[total];
        List<int[]> runs = new ArrayList<>();
        int i = x.length, j = y.length, k = total, runEndX = -1, runEndY = -1;
        while (i > 0 && j > 0) {
            if (x[i - 1] == y[j - 1]) {
                common[--k] = x[i - 1];
                if (runEndX < 0) {
                    runEndX = i - 1;
                    runEndY = j - 1;
                }
                i--;
                j--;
                continue;
            }
            if (runEndX >= 0) {
                addRun(runs, i, runEndX, j, runEndY, minMatchLen);
                runEndX = -1;
            }
            if (table[(i - 1) * cols + j] > table[i * cols + j - 1]) i--;
            else j--;
        }
        if (runEndX >= 0) addRun(runs, i, runEndX, j, runEndY, minMatchLen);
        if (!idx) {
            out.bulk(common);
            return;
        }
        out.map(2);
        out.bulk("matches");
        out.array(runs.size());
        for (int[] r : runs) {
            out.array(withMatchLen ? 3 : 2);
            out.array(2);
            out.integer(r[0]);
            out.integer(r[1]);
            out.array(2);
            out.integer(r[2]);
            out.integer(r[3]);
            if (withMatchLen) out.integer(r[1] - r[0] + 1);
        }
        out.bulk("len");
        out.integer(total);
    }

    private static void addRun(List<int[]> runs, int startX, int endX, int startY, int endY, long minMatchLen) {
        if (endX - startX + 1 >= minMatchLen) runs.add(new int[] {startX, endX, startY, endY});
    }
}
