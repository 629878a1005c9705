package io.simplekv.observe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessCpuTest {
    /** utime and stime are fields 14 and 15, counted past a command name that may hold spaces and parentheses. */
    @Test
    void readsUserAndSystemTicksPastTheCommandName() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 40 0 123 0 0";
        assertArrayEquals(new double[] {0.75, 2.5}, ProcessCpu.systemAndUserOf(stat));
    }

    @Test
    void thisProcessHasSpentSomeCpuInUserSpace() {
        double[] cpu = ProcessCpu.systemAndUser();
        assertTrue(cpu[1] > 0 && cpu[0] >= 0, cpu[0] + " " + cpu[1]);
    }
}
