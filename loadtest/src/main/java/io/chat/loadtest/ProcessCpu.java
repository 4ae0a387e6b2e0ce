package io.chat.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process on this machine has used, from {@code /proc/PID/stat}: it tells what one open
 * costs the server and the tool when both share the cores, which wall-clock figures cannot.
 */
final class ProcessCpu {

    /** Linux reports utime and stime in USER_HZ ticks, 100 per second on every mainstream kernel. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** Seconds of user and system CPU used by {@code pid}, or NaN where it cannot be read. */
    static double seconds(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            return parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException unavailable) {
            return Double.NaN;
        }
    }

    static double ownSeconds() {
        return seconds(ProcessHandle.current().pid());
    }

    /** utime and stime are fields 14 and 15; the command name (field 2) may hold spaces, so count from its ')'. */
    static double parseStat(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }
}
