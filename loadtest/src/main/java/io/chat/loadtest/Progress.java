package io.chat.loadtest;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Phase lines on stderr, so that a run can be followed (and a profiler started at the timed phase). */
final class Progress {

    private Progress() {
    }

    static void phase(String scenario, String what) {
        System.err.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " [" + scenario + "] " + what);
    }
}
