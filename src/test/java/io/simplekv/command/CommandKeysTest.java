package io.simplekv.command;

import io.simplekv.support.RecordedReplies;
import io.simplekv.support.RecordedReplies.Entry;
import io.simplekv.support.RespParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keys whose shards a request locks are the keys Redis's COMMAND GETKEYS names for it. */
class CommandKeysTest {
    private final CommandTable table = io.simplekv.server.CommandGroups.table();

    @Test
    void lockedKeysAreTheKeysRedisNames() {
        int compared = 0;
        for (Entry e : RecordedReplies.load("command-getkeys.resp2")) {
            List<String> args = e.args();
            if (!args.get(1).equals("GETKEYS") || e.reply().startsWith("-")) continue;
            byte[][] request = args.subList(2, args.size()).stream().map(Args::bytes).toArray(byte[][]::new);
            CommandSpec spec = table.lookup(request[0]);
            if (spec == null) continue;
            if (spec.isContainer()) spec = table.subcommand(spec, request[1]);
            if (spec == null) continue;
            List<String> locked = new ArrayList<>();
            for (int p : spec.keyPositions(request)) locked.add(Args.text(request[p]));
            assertEquals(RespParser.array(e.reply()), new ArrayList<Object>(locked), String.join(" ", args));
            compared++;
        }
        assertTrue(compared > 60, "only " + compared);
    }

    @Test
    void singleKeyCommandsUseTheLegacyRange() {
        CommandSpec get = table.lookup("get");
        assertFalse(get.hasMovableKeys());
        assertEquals(1, get.firstKey);
        assertEquals(1, get.lastKeyIndex(2));
        assertArrayEquals(new int[] {1}, get.keyPositions(new byte[][] {Args.bytes("GET"), Args.bytes("k")}));
        // SET has a getkeys procedure (for its flags) but not movable keys: still the fast path.
        assertFalse(table.lookup("set").hasMovableKeys());
        assertTrue(table.lookup("zunionstore").hasMovableKeys());
    }

    @Test
    void keysThatCannotBeFoundNameNone() {
        CommandSpec zunionstore = table.lookup("zunionstore");
        byte[][] badCount = Arrays.stream(new String[] {"zunionstore", "d", "x", "a"}).map(Args::bytes).toArray(byte[][]::new);
        assertArrayEquals(new int[0], zunionstore.keyPositions(badCount));
        // atoi's reading of "2x" is 2: the specs fail on it, Redis's zunionInterDiffStoreGetKeys lists the sources first.
        byte[][] lenient = Arrays.stream(new String[] {"zunionstore", "d", "2x", "a", "b"}).map(Args::bytes).toArray(byte[][]::new);
        assertArrayEquals(new int[] {3, 4, 1}, zunionstore.keyPositions(lenient));
    }
}
