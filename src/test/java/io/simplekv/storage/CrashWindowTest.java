package io.simplekv.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a restart concludes from the activity file: only a stop outside every operation, same boot, skips recovery. */
class CrashWindowTest {
    @TempDir
    Path dir;

    @Test
    void aStopWithNothingInFlightIsQuiet() throws Exception {
        CrashWindow w = CrashWindow.open(dir);
        assertFalse(w.previousStopWasQuiet(), "no file yet: nothing is known");
        w.enter();
        w.exit();
        // a kill leaves the mapped pages as they are: reopening without close() is what the next process sees
        assertTrue(CrashWindow.open(dir).previousStopWasQuiet());
    }

    @Test
    void aStopInsideAnOperationIsNot() throws Exception {
        CrashWindow w = CrashWindow.open(dir);
        w.enter();
        assertFalse(CrashWindow.open(dir).previousStopWasQuiet());
        assertTrue(CrashWindow.open(dir).previousStopWasQuiet(), "the next start resets the count");
    }

    @Test
    void anUnfinishedRecoveryIsNot() throws Exception {
        CrashWindow.open(dir).recovering();
        assertFalse(CrashWindow.open(dir).previousStopWasQuiet());
        CrashWindow w = CrashWindow.open(dir);
        w.recovering();
        w.recovered();
        assertTrue(CrashWindow.open(dir).previousStopWasQuiet());
    }

    @Test
    void anotherBootIsNot() throws Exception {
        CrashWindow.open(dir);
        try (FileChannel ch = FileChannel.open(dir.resolve(CrashWindow.FILE), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("00000000-0000-0000-0000-000000000000".getBytes(StandardCharsets.US_ASCII)), 0);
        }
        assertFalse(CrashWindow.open(dir).previousStopWasQuiet(), "a reboot may have lost the page cache");
    }

    /** A kill is simulated by a close whose clean-shutdown marker is then deleted: the files are as a kill leaves them. */
    @Test
    void enginesSkipRecoveryOnlyAfterAQuietKill() throws Exception {
        ChronicleEngine.Sizing sizing = new ChronicleEngine.Sizing(4096, 16, 32, 4096, 256);
        byte[] k = "k".getBytes(StandardCharsets.US_ASCII);
        ChronicleEngine first = ChronicleEngine.open(dir, sizing);
        first.open("db0").put(k, "v".getBytes(StandardCharsets.US_ASCII));
        killed(first);
        ChronicleEngine second = ChronicleEngine.open(dir, sizing);
        assertFalse(second.recovering(), "nothing was in flight");
        assertTrue(second.killedQuietly());
        assertEquals("v", new String(second.open("db0").get(k), StandardCharsets.US_ASCII));
        killed(second);
        CrashWindow.open(dir).enter(); // as if the process had died inside an operation
        ChronicleEngine third = ChronicleEngine.open(dir, sizing);
        assertTrue(third.recovering());
        assertEquals("v", new String(third.open("db0").get(k), StandardCharsets.US_ASCII));
        killed(third);
        assertTrue(CrashWindow.open(dir).previousStopWasQuiet(), "the recovery finished");
    }

    private void killed(ChronicleEngine engine) throws Exception {
        engine.close();
        Files.delete(dir.resolve(ChronicleEngine.CLEAN_MARKER));
    }
}
