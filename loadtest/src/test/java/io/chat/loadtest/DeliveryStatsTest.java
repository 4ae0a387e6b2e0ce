package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;

import org.junit.jupiter.api.Test;

class DeliveryStatsTest {

    @Test
    void percentilesComeFromTheRecordedLatencies() {
        DeliveryStats stats = new DeliveryStats();
        BitSet receiver = new BitSet();
        for (int i = 1; i <= 100; i++) {
            stats.delivered(receiver, i, i * 1_000_000L); // i milliseconds
        }
        assertThat(stats.percentileMillis(50)).isCloseTo(50, org.assertj.core.data.Offset.offset(0.1));
        assertThat(stats.percentileMillis(99)).isCloseTo(99, org.assertj.core.data.Offset.offset(0.1));
        assertThat(stats.maxMillis()).isCloseTo(100, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void findsLostAndDuplicatedDeliveries() {
        DeliveryStats stats = new DeliveryStats();
        BitSet first = new BitSet();
        BitSet second = new BitSet();
        BitSet third = new BitSet();
        for (int i = 0; i < 5; i++) {
            stats.sent();
        }
        // messages 0..3 stored; a chat of 3 members owes 12 deliveries
        for (int sequence = 0; sequence < 4; sequence++) {
            stats.delivered(first, sequence, 1000);
            stats.delivered(second, sequence, 1000);
        }
        stats.delivered(third, 0, 1000);
        assertThat(stats.delivered(third, 0, 1000)).isFalse();
        stats.error(true);
        assertThat(stats.storedCount()).isEqualTo(4);
        assertThat(stats.deliveryCount()).isEqualTo(9);
        assertThat(stats.lost(3)).isEqualTo(3);
        assertThat(stats.duplicateCount()).isEqualTo(1);
        assertThat(stats.rateLimitedCount()).isEqualTo(1);
        assertThat(stats.unanswered()).isZero();
    }
}
