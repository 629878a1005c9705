package io.simplekv.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's CPU time split as Redis's INFO reports it (getrusage's system and user time), read from
 * /proc/self/stat; where that file is missing, all of it counts as user time, as the JVM reports only the sum.
 */
public final class ProcessCpu {
    /** Linux's USER_HZ: the unit of /proc's utime and stime, 100 on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {}

    /** Seconds of CPU in the kernel and in user space, in that order. */
    public static double[] systemAndUser() {
        try {
            return systemAndUserOf(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException | RuntimeException e) {
            double total = 0;
            if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os) {
                total = os.getProcessCpuTime() / 1e9;
            }
            return new double[] {0, total};
        }
    }

    /** The stat line's utime and stime (fields 14 and 15), counted after the command name, which may hold spaces. */
    static double[] systemAndUserOf(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state): field n is f[n - 3].
        long utime = Long.parseLong(f[11]), stime = Long.parseLong(f[12]);
        return new double[] {stime / TICKS_PER_SECOND, utime / TICKS_PER_SECOND};
    }
}
