package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;

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

    @Test
    void aSendTheToolCouldNotQueueCountsAsFailedNotAsUnanswered() {
        DeliveryStats stats = new DeliveryStats();
        for (int i = 0; i < 3; i++) {
            stats.sent();
        }
        stats.delivered(new BitSet(), 0, 1000);
        stats.sendFailed();
        assertThat(stats.failedSendCount()).isEqualTo(1);
        assertThat(stats.unanswered()).isEqualTo(1);
    }

    @Test
    void countsEachKindOfOrderBreachAcrossConnections() {
        DeliveryStats stats = new DeliveryStats();
        EventOrder first = new EventOrder();
        EventOrder second = new EventOrder();
        first.established(0);
        second.established(0);
        for (long seq : new long[] {1, 2, 4, 4, 3, 5}) { // a gap, a repeat, one backwards
            stats.order(first.event(seq));
        }
        for (long seq : new long[] {1, 3, MessageFrames.ABSENT}) { // a gap, one without seq
            stats.order(second.event(seq));
        }
        stats.idOutOfOrder();
        assertThat(stats.seqGapCount()).isEqualTo(2);
        assertThat(stats.seqOutOfOrderCount()).isEqualTo(2);
        assertThat(stats.seqMissingCount()).isEqualTo(1);
        assertThat(stats.idOutOfOrderCount()).isEqualTo(1);
    }

    @Test
    void aServerWithoutEventNumbersLeavesTheOrderCountsAtZero() {
        DeliveryStats stats = new DeliveryStats();
        EventOrder order = new EventOrder();
        order.established(MessageFrames.ABSENT);
        stats.order(order.event(MessageFrames.ABSENT));
        stats.order(order.event(MessageFrames.ABSENT));
        assertThat(List.of(stats.seqGapCount(), stats.seqOutOfOrderCount(), stats.seqMissingCount()))
                .containsOnly(0L);
    }

    @Test
    void theStoredSequencesAreACopy() {
        DeliveryStats stats = new DeliveryStats();
        stats.delivered(new BitSet(), 3, 1000);
        BitSet copy = stats.storedSequences();
        copy.set(4);
        assertThat(stats.storedSequences()).isEqualTo(BitSet.valueOf(new long[] {1L << 3}));
    }
}
