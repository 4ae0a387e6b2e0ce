package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

    private static final double LOWEST = 0.0;
    private static final double HIGHEST = 0.999_999;

    @Test
    void aServiceRestartIsRetriedWithinASecondSoThatClientsSpreadOverIt() {
        assertThat(ReconnectPolicy.delayMillis(1012, "Service restart", 0, LOWEST)).isZero();
        assertThat(ReconnectPolicy.delayMillis(1012, "Service restart", 0, HIGHEST)).isEqualTo(999);
        assertThat(ReconnectPolicy.delayMillis(1001, "Ping timeout", 0, 0.5)).isEqualTo(500);
    }

    @Test
    void aDroppedConnectionBacksOffFromHalfASecondDoublingUpToThirtySeconds() {
        assertThat(ReconnectPolicy.delayMillis(1006, "", 0, LOWEST)).isEqualTo(250);
        assertThat(ReconnectPolicy.delayMillis(1006, "", 0, HIGHEST)).isEqualTo(499);
        assertThat(ReconnectPolicy.delayMillis(1006, "", 1, LOWEST)).isEqualTo(500);
        assertThat(ReconnectPolicy.delayMillis(1006, "", 3, HIGHEST)).isEqualTo(3999);
        assertThat(ReconnectPolicy.delayMillis(1011, "Internal server error", 2, LOWEST)).isEqualTo(1000);
        assertThat(ReconnectPolicy.delayMillis(1006, "", 7, HIGHEST)).isLessThan(30_000);
        assertThat(ReconnectPolicy.delayMillis(1006, "", 40, LOWEST)).isEqualTo(15_000);
    }

    @Test
    void aQuickCodeAfterAFailedAttemptBacksOffAsTheJsClientDoes() {
        assertThat(ReconnectPolicy.delayMillis(1012, "Service restart", 2, LOWEST)).isEqualTo(1000);
    }

    @Test
    void aRefusalInAStormWaitsARandomDelayThatDoublesAtEachFailedAttemptInARow() {
        assertThat(ReconnectPolicy.delayMillis(1013, "Try again later", 0, LOWEST)).isZero();
        assertThat(ReconnectPolicy.delayMillis(1013, "Try again later", 0, HIGHEST)).isEqualTo(999);
        assertThat(ReconnectPolicy.delayMillis(1013, "Try again later", 1, HIGHEST)).isEqualTo(1999);
        assertThat(ReconnectPolicy.delayMillis(1013, "Try again later", 2, HIGHEST)).isEqualTo(3999);
        assertThat(ReconnectPolicy.delayMillis(1013, "Try again later", 9, HIGHEST)).isEqualTo(29_999);
        assertThat(ReconnectPolicy.isRefusal(1013, "Too slow to keep up")).isFalse();
        // after a restart's quick first attempt, a refusal is the second attempt in a row
        assertThat(ReconnectPolicy.delayMillis(1013, "Try again later", 1, HIGHEST)).isEqualTo(1999);
        assertThat(ReconnectPolicy.delayMillis(1013, "Too slow to keep up", 0, LOWEST)).isEqualTo(250);
    }

    @Test
    void closesThatTheProtocolSaysNotToRetryAreNeverRetried() {
        for (int code : new int[] {4401, 4403, 4409, 1003, 1009, 1000, 4000}) {
            assertThat(ReconnectPolicy.reconnects(code)).as("code %d", code).isFalse();
            assertThat(ReconnectPolicy.delayMillis(code, "", 0, 0.5)).as("code %d", code).isEqualTo(-1);
        }
    }
}
