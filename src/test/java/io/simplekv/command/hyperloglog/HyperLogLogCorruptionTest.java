package io.simplekv.command.hyperloglog;

import io.simplekv.support.EngineKind;
import io.simplekv.support.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static io.simplekv.support.Resp.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hyperloglog.tcl's overflow tests: a sparse HLL whose ZERO or XZERO runs add up past 2^31 registers (so a 32-bit
 * count wraps back into range) must be reported as corrupt, never read or written out of bounds.
 */
@ParameterizedClass
@EnumSource(EngineKind.class)
class HyperLogLogCorruptionTest extends ServerTestBase {
    private static final String INVALID = "-INVALIDOBJ Corrupted HLL object detected\r\n";

    private static byte[] sparse(byte[] chunk, int repeat) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("HYLL".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        for (int i = 0; i < repeat; i++) b.writeBytes(chunk);
        b.write(0xff); // a VAL opcode that would land out of bounds
        return b.toByteArray();
    }

    private void assertCorrupt(byte[] hll) {
        assertEquals(OK, r.call("SET".getBytes(StandardCharsets.US_ASCII), "hll".getBytes(StandardCharsets.US_ASCII), hll));
        assertEquals(INVALID, r.call("PFCOUNT", "hll", "hll"));
        // PFCOUNT of the one key answers its cached cardinality, as Redis does, without reading the registers.
        assertEquals(INVALID, r.call("PFDEBUG", "GETREG", "hll"));
        assertTrue(r.call("PFADD", "hll", "a", "b", "c").startsWith("-INVALIDOBJ"));
        assertEquals("+PONG\r\n", r.call("PING"));
    }

    @Test
    void xzeroRunsPastTwoToTheThirtyOneAreCorrupt() {
        int runlen = 16384 - 1;
        assertCorrupt(sparse(new byte[] {(byte) (0b01000000 | (runlen >> 8)), (byte) (runlen & 0xff)}, 131072 + 1000));
    }

    @Test
    void zeroRunsPastTwoToTheThirtyOneAreCorrupt() {
        assertCorrupt(sparse(new byte[] {0x3f}, 33554432 + 1000));
    }
}
