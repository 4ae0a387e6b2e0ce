package io.chat.loadtest;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The figures of a messaging run: end-to-end latency of every delivery, and the bookkeeping that
 * finds lost and duplicated deliveries. Each message carries a sequence number; a message counts as
 * stored once any client has received it (the server broadcasts only stored messages), and each of
 * its chat's members must then receive it exactly once. It also counts the connections' breaches of
 * event order ({@link EventOrder}), which are rare, so the counters see no contention.
 */
final class DeliveryStats {

    private static final long MAX_LATENCY_MICROS = 120_000_000L;

    private final Histogram latencyMicros = new ConcurrentHistogram(MAX_LATENCY_MICROS, 3);
    private final BitSet stored = new BitSet();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder seqGaps = new LongAdder();
    private final LongAdder seqOutOfOrder = new LongAdder();
    private final LongAdder seqMissing = new LongAdder();
    private final LongAdder idOutOfOrder = new LongAdder();
    private final AtomicLong sent = new AtomicLong();
    private final LongAdder failedSends = new LongAdder();

    void sent() {
        sent.incrementAndGet();
    }

    /** A send the tool's own socket refused to queue (closed, or its sink failed): it never reached the server. */
    void sendFailed() {
        failedSends.increment();
    }

    long failedSendCount() {
        return failedSends.sum();
    }

    /**
     * Records one received message frame.
     *
     * @param seen the receiver's own record of sequences it has had
     * @return false if it was a duplicate for this receiver
     */
    boolean delivered(BitSet seen, int sequence, long latencyNanos) {
        synchronized (stored) {
            stored.set(sequence);
        }
        if (seen.get(sequence)) {
            duplicates.increment();
            return false;
        }
        seen.set(sequence);
        deliveries.increment();
        latencyMicros.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, latencyNanos / 1000)));
        return true;
    }

    void error(boolean rateLimit) {
        errors.increment();
        if (rateLimit) {
            rateLimited.increment();
        }
    }

    /** Counts what a seq-carrying frame was to its connection. */
    void order(EventOrder.Step step) {
        switch (step) {
            case GAP -> seqGaps.increment();
            case OUT_OF_ORDER -> seqOutOfOrder.increment();
            case MISSING -> seqMissing.increment();
            case IN_ORDER, NOT_CHECKED -> {
            }
        }
    }

    void idOutOfOrder() {
        idOutOfOrder.increment();
    }

    long sentCount() {
        return sent.get();
    }

    long storedCount() {
        synchronized (stored) {
            return stored.cardinality();
        }
    }

    /** A copy of the sequences of the messages known to be stored, to compare with a read-back. */
    BitSet storedSequences() {
        synchronized (stored) {
            return (BitSet) stored.clone();
        }
    }

    long deliveryCount() {
        return deliveries.sum();
    }

    long duplicateCount() {
        return duplicates.sum();
    }

    long errorCount() {
        return errors.sum();
    }

    long rateLimitedCount() {
        return rateLimited.sum();
    }

    long seqGapCount() {
        return seqGaps.sum();
    }

    long seqOutOfOrderCount() {
        return seqOutOfOrder.sum();
    }

    long seqMissingCount() {
        return seqMissing.sum();
    }

    long idOutOfOrderCount() {
        return idOutOfOrder.sum();
    }

    /** Deliveries owed but not made: every stored message times its chat's members, less those received. */
    long lost(int recipientsPerMessage) {
        return storedCount() * recipientsPerMessage - deliveryCount();
    }

    /**
     * Sends that were never answered: neither delivered anywhere nor refused with an error, nor
     * failed in the tool before reaching the server (those are counted apart).
     */
    long unanswered() {
        return Math.max(0, sentCount() - storedCount() - errorCount() - failedSendCount());
    }

    double percentileMillis(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMillis() {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1000.0;
    }
}
