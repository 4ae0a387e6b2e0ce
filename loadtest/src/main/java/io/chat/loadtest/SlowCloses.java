package io.chat.loadtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What became of the slow members of {@code slow-consumer}. The server promises to close a client
 * that lets more than its send buffer pile up with {@value #TOO_SLOW} {@value #TOO_SLOW_REASON};
 * a slow member still open at the end, or closed any other way, breaks that promise (or the run
 * offered it too little to pile up: {@link #failures()} says which numbers to look at).
 */
final class SlowCloses {

    static final int TOO_SLOW = 1013;
    static final String TOO_SLOW_REASON = "Too slow to keep up";
    /** The key of {@link #codes()} for members never closed. */
    static final String OPEN = "open";
    /** A default server's 1 MiB send buffer, and room for what the kernels on the way hold. */
    static final int ENOUGH_BACKLOG_KIB = 1024 + 256;

    /**
     * How one slow member's connection ended, as it saw it.
     *
     * @param member its number among the slow members, from 1
     * @param code the close code received; null if it was still open
     * @param reason the close reason received (for 1006, no close frame: how the socket ended)
     * @param secondsToClose from when it stopped reading to the close's arrival; NaN if still open
     * @param kibRead what it read before the close (or until the end)
     */
    record Outcome(int member, Integer code, String reason, double secondsToClose, double kibRead) {

        static Outcome closed(int member, LoadClient.Closing closing, long stoppedNanos, long bytesRead) {
            return new Outcome(member, closing.code(), closing.reason(), (closing.atNanos() - stoppedNanos) / 1e9,
                    bytesRead / 1024.0);
        }

        static Outcome stillOpen(int member, long bytesRead) {
            return new Outcome(member, null, null, Double.NaN, bytesRead / 1024.0);
        }

        boolean closedAsTooSlow() {
            return code != null && code == TOO_SLOW;
        }
    }

    private final List<Outcome> outcomes;

    SlowCloses(List<Outcome> outcomes) {
        this.outcomes = List.copyOf(outcomes);
    }

    long closedAsTooSlow() {
        return outcomes.stream().filter(Outcome::closedAsTooSlow).count();
    }

    /** How many were closed with each code, in code order, then {@value #OPEN}: those never closed. */
    Map<String, Long> codes() {
        Map<Integer, Long> byCode = new TreeMap<>();
        long open = 0;
        for (Outcome outcome : outcomes) {
            if (outcome.code() == null) {
                open++;
            } else {
                byCode.merge(outcome.code(), 1L, Long::sum);
            }
        }
        Map<String, Long> codes = new LinkedHashMap<>();
        byCode.forEach((code, count) -> codes.put(Integer.toString(code), count));
        if (open > 0) {
            codes.put(OPEN, open);
        }
        return codes;
    }

    /**
     * Seconds from stopping to read to the 1013's arrival: min, median, max (to 0.01 s), or null
     * when no member was closed with 1013.
     */
    Map<String, Double> timeToClose() {
        List<Double> seconds = outcomes.stream().filter(Outcome::closedAsTooSlow)
                .map(Outcome::secondsToClose).sorted().toList();
        if (seconds.isEmpty()) {
            return null;
        }
        int n = seconds.size();
        double median = n % 2 == 1 ? seconds.get(n / 2) : (seconds.get(n / 2 - 1) + seconds.get(n / 2)) / 2;
        Map<String, Double> spread = new LinkedHashMap<>();
        spread.put("min", round(seconds.get(0)));
        spread.put("median", round(median));
        spread.put("max", round(seconds.get(n - 1)));
        return spread;
    }

    /** One line per slow member that was not closed with 1013 and the promised reason; empty when all were. */
    List<String> failures() {
        List<String> failures = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            String member = "slow member " + outcome.member();
            String read = String.format(" (it had read %.0f KiB)", outcome.kibRead());
            if (outcome.code() == null) {
                failures.add(member + " was never closed" + read);
            } else if (!outcome.closedAsTooSlow()) {
                failures.add(member + " was closed with " + outcome.code() + " '" + outcome.reason() + "' after "
                        + String.format("%.2f", outcome.secondsToClose()) + " s instead of " + TOO_SLOW + read);
            } else if (!TOO_SLOW_REASON.equals(outcome.reason())) {
                failures.add(member + " was closed with " + TOO_SLOW + " but the reason '" + outcome.reason()
                        + "' instead of '" + TOO_SLOW_REASON + "'");
            }
        }
        return failures;
    }

    /**
     * What to look at when there are failures: a member never closed whose backlog (what it was
     * offered less what it read) stayed under the server's default send buffer plus what the kernels
     * hold was not offered enough; a member whose socket ended without a close frame was dropped.
     *
     * @param offeredKib what each member was offered while the slow ones were not reading
     */
    List<String> hints(double offeredKib) {
        List<String> hints = new ArrayList<>();
        boolean offeredTooLittle = outcomes.stream()
                .anyMatch(outcome -> outcome.code() == null && offeredKib - outcome.kibRead() < ENOUGH_BACKLOG_KIB);
        if (offeredTooLittle) {
            hints.add(String.format("a slow member never closed had a backlog of less than %d KiB (each member was"
                    + " offered %.0f KiB): too little to fill a server's default 1 MiB send buffer and the kernels'"
                    + " buffers; raise --duration or --text-bytes", ENOUGH_BACKLOG_KIB, offeredKib));
        }
        if (outcomes.stream().anyMatch(outcome -> outcome.code() != null
                && outcome.code() == LoadClient.NO_CLOSE_FRAME)) {
            hints.add("a slow member's socket ended without a close frame: the server dropped the connection (did"
                    + " its close frame have to wait behind the backlog for longer than the server allowed?);"
                    + " see the server's log");
        }
        return hints;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }
}
