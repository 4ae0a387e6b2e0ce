package io.chat.loadtest;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the storm's clients saw, gathered from all of them at once (event loops, the scheduler):
 * closes and refusals by code, reconnect times, and delivery latency before the kill (every
 * client) and after it (the clients that were not on the victim). The latter are kept as samples,
 * since their window (kill to all live again) is known only at the end.
 */
final class StormFigures {

    private static final long MAX_MICROS = 300_000_000L;

    private final AtomicLong killNanos = new AtomicLong();
    private final AtomicLong firstVictimClose = new AtomicLong();
    private final Map<String, LongAdder> closes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> firstOpenRetries = new ConcurrentHashMap<>();
    private final Histogram reconnectMicros = new ConcurrentHistogram(MAX_MICROS, 3);
    private final Histogram failedAttemptMicros = new ConcurrentHistogram(MAX_MICROS, 3);
    private final LongAdder attempts = new LongAdder();
    private final Histogram beforeKillMicros = new ConcurrentHistogram(MAX_MICROS, 3);
    private final LongAdder errorFrames = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    private final Set<Integer> sentAfterReconnect = ConcurrentHashMap.newKeySet();
    private final AtomicLong longestQuietNanos = new AtomicLong();
    /** Survivors' deliveries after the kill: received at, latency, message sequence; three longs each. */
    private long[] samples = new long[3 * 4096];
    private int sampleCount;

    void killed(long nanos) {
        killNanos.set(nanos);
    }

    /** When the victim was signalled, or 0 before. */
    long killNanos() {
        return killNanos.get();
    }

    /** The close of a live socket of a client that was on the victim, after the kill. */
    void victimClosed(long nanos) {
        firstVictimClose.compareAndSet(0, nanos);
    }

    /** When the first of the victim's sockets ended after the kill (its drain, for a restart), or 0. */
    long firstVictimCloseNanos() {
        return firstVictimClose.get();
    }

    void closed(int code, String reason) {
        closes.computeIfAbsent(code + " " + reason, key -> new LongAdder()).increment();
    }

    /** A first open refused or failed, to be retried: set-up, not the storm. */
    void firstOpenRetried(String codeAndReason) {
        firstOpenRetries.computeIfAbsent(codeAndReason, key -> new LongAdder()).increment();
    }

    Map<String, Long> firstOpenRetries() {
        Map<String, Long> codes = new TreeMap<>();
        firstOpenRetries.forEach((code, count) -> codes.put(code, count.sum()));
        return codes;
    }

    void attempted() {
        attempts.increment();
    }

    void reconnected(long openNanos) {
        reconnectMicros.recordValue(Math.min(MAX_MICROS, openNanos / 1000));
    }

    /** A reconnect attempt that ended before its greeting (a refusal, or a failed open), after {@code nanos}. */
    void attemptFailed(long nanos) {
        failedAttemptMicros.recordValue(Math.min(MAX_MICROS, nanos / 1000));
    }

    void errorFrame() {
        errorFrames.increment();
    }

    /** An event before the client's first greeting or at or before its seq: none on a sound server. */
    void outsideLedger() {
        unexpected.increment();
    }

    /** Messages sent (or sent again) at a reconnect: their latency is the sender's outage, not the others'. */
    void sentAfterReconnect(Collection<Integer> sequences) {
        sentAfterReconnect.addAll(sequences);
    }

    /** A survivor's time without a delivery, after the kill. */
    void quiet(long nanos) {
        longestQuietNanos.accumulateAndGet(nanos, Math::max);
    }

    /** A first delivery of a message to one client. */
    void delivered(boolean onVictim, int sequence, long latencyNanos, long receivedNanos) {
        long kill = killNanos.get();
        if (kill == 0) {
            beforeKillMicros.recordValue(Math.max(0, Math.min(MAX_MICROS, latencyNanos / 1000)));
        } else if (!onVictim) {
            synchronized (this) {
                if (3 * sampleCount + 3 > samples.length) {
                    samples = Arrays.copyOf(samples, samples.length * 2);
                }
                samples[3 * sampleCount] = receivedNanos;
                samples[3 * sampleCount + 1] = latencyNanos;
                samples[3 * sampleCount + 2] = sequence;
                sampleCount++;
            }
        }
    }

    Map<String, Long> closeCodes() {
        Map<String, Long> codes = new TreeMap<>();
        closes.forEach((code, count) -> codes.put(code, count.sum()));
        return codes;
    }

    long attempts() {
        return attempts.sum();
    }

    Histogram reconnectMicros() {
        return reconnectMicros;
    }

    Histogram failedAttemptMicros() {
        return failedAttemptMicros;
    }

    Histogram beforeKillMicros() {
        return beforeKillMicros;
    }

    long errorFrames() {
        return errorFrames.sum();
    }

    long outsideLedgerCount() {
        return unexpected.sum();
    }

    long sentAfterReconnectCount() {
        return sentAfterReconnect.size();
    }

    long longestQuietNanos() {
        return longestQuietNanos.get();
    }

    /**
     * The survivors' worst delivery latency in each second after the kill, in milliseconds (null for a
     * second without deliveries): where in the storm they noticed it.
     */
    synchronized List<Double> survivorsWorstBySecond(long killNanos, int seconds) {
        Double[] worst = new Double[seconds];
        for (int i = 0; i < sampleCount; i++) {
            long second = (samples[3 * i] - killNanos) / 1_000_000_000L;
            if (second >= 0 && second < seconds && !sentAfterReconnect.contains((int) samples[3 * i + 2])) {
                double millis = Math.round(samples[3 * i + 1] / 10_000.0) / 100.0;
                worst[(int) second] = worst[(int) second] == null ? millis : Math.max(worst[(int) second], millis);
            }
        }
        return Arrays.asList(worst);
    }

    /**
     * The survivors' delivery latency, in microseconds, of the messages received from the kill to
     * {@code untilNanos}, leaving out those sent at a reconnect (their wait was their sender's).
     */
    synchronized Histogram survivorsUntil(long untilNanos) {
        Histogram latency = new Histogram(MAX_MICROS, 3);
        for (int i = 0; i < sampleCount; i++) {
            if (samples[3 * i] <= untilNanos && !sentAfterReconnect.contains((int) samples[3 * i + 2])) {
                latency.recordValue(Math.max(0, Math.min(MAX_MICROS, samples[3 * i + 1] / 1000)));
            }
        }
        return latency;
    }
}
