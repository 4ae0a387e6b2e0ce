package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SlowClosesTest {

    private static final long STOPPED = 1_000_000_000L;

    private static SlowCloses.Outcome closed(int member, int code, String reason, double seconds) {
        LoadClient.Closing closing = new LoadClient.Closing(code, reason, STOPPED + (long) (seconds * 1e9));
        return SlowCloses.Outcome.closed(member, closing, STOPPED, 300 * 1024);
    }

    private static SlowCloses.Outcome tooSlow(int member, double seconds) {
        return closed(member, SlowCloses.TOO_SLOW, SlowCloses.TOO_SLOW_REASON, seconds);
    }

    @Test
    void everySlowMemberClosedWith1013IsNoFailure() {
        SlowCloses closes = new SlowCloses(List.of(tooSlow(1, 7.5), tooSlow(2, 6.25), tooSlow(3, 9)));
        assertThat(closes.closedAsTooSlow()).isEqualTo(3);
        assertThat(closes.codes()).containsExactly(Map.entry("1013", 3L));
        assertThat(closes.timeToClose()).containsExactly(Map.entry("min", 6.25),
                Map.entry("median", 7.5), Map.entry("max", 9.0));
        assertThat(closes.failures()).isEmpty();
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        SlowCloses closes = new SlowCloses(List.of(tooSlow(1, 4), tooSlow(2, 1), tooSlow(3, 3), tooSlow(4, 2)));
        assertThat(closes.timeToClose()).containsEntry("median", 2.5).containsEntry("min", 1.0)
                .containsEntry("max", 4.0);
    }

    @Test
    void timesAreRoundedToHundredths() {
        SlowCloses closes = new SlowCloses(List.of(tooSlow(1, 5.123456)));
        assertThat(closes.timeToClose()).containsEntry("min", 5.12).containsEntry("median", 5.12);
    }

    @Test
    void membersNeverClosedOrClosedOtherwiseAreFailuresAndKeptOutOfTheTimes() {
        SlowCloses closes = new SlowCloses(List.of(tooSlow(1, 8), closed(2, 1001, "Ping timeout", 61),
                closed(3, LoadClient.NO_CLOSE_FRAME, "ended without a close frame", 20),
                SlowCloses.Outcome.stillOpen(4, 5 * 1024 * 1024), closed(5, 1013, "Busy", 8)));
        assertThat(closes.closedAsTooSlow()).isEqualTo(2);
        assertThat(closes.codes()).containsExactly(Map.entry("1001", 1L), Map.entry("1006", 1L),
                Map.entry("1013", 2L), Map.entry(SlowCloses.OPEN, 1L));
        assertThat(closes.timeToClose()).containsEntry("min", 8.0).containsEntry("max", 8.0);
        assertThat(closes.failures()).containsExactly(
                "slow member 2 was closed with 1001 'Ping timeout' after 61.00 s instead of 1013 (it had read 300 KiB)",
                "slow member 3 was closed with 1006 'ended without a close frame' after 20.00 s instead of 1013"
                        + " (it had read 300 KiB)",
                "slow member 4 was never closed (it had read 5120 KiB)",
                "slow member 5 was closed with 1013 but the reason 'Busy' instead of 'Too slow to keep up'");
    }

    @Test
    void withoutSlowMembersThereIsNothingToReport() {
        SlowCloses none = new SlowCloses(List.of());
        assertThat(none.closedAsTooSlow()).isZero();
        assertThat(none.codes()).isEmpty();
        assertThat(none.timeToClose()).isNull();
        assertThat(none.failures()).isEmpty();
    }

    @Test
    void noTimeWhenNoneWasClosedAsTooSlow() {
        SlowCloses closes = new SlowCloses(List.of(SlowCloses.Outcome.stillOpen(1, 0)));
        assertThat(closes.timeToClose()).isNull();
        assertThat(closes.codes()).containsExactly(Map.entry(SlowCloses.OPEN, 1L));
    }

    @Test
    void hintsSayWhetherTheRunOfferedTooLittleOrTheServerDroppedTheSocket() {
        SlowCloses neverClosed = new SlowCloses(List.of(SlowCloses.Outcome.stillOpen(1, 400 * 1024)));
        assertThat(neverClosed.hints(1500)).singleElement().asString()
                .startsWith("a slow member never closed had a backlog of less than 1280 KiB (each member was offered"
                        + " 1500 KiB)");
        assertThat(neverClosed.hints(3000)).isEmpty(); // a backlog of 2.6 MiB: the server should have closed it
        SlowCloses dropped = new SlowCloses(List.of(closed(1, LoadClient.NO_CLOSE_FRAME, "ended without a close frame",
                11)));
        assertThat(dropped.hints(3000)).singleElement().asString()
                .startsWith("a slow member's socket ended without a close frame");
    }
}
