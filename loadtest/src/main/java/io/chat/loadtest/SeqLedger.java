package io.chat.loadtest;

import java.util.BitSet;

/**
 * One storm client's account of its chat's events, across all its connections: the first
 * greeting's {@code seq} is where the client came in, and from there on it must receive every
 * event of the chat exactly once, whether live or replayed at a recovery ({@code ?since_seq=}).
 * At the end, held against the chat's latest {@code seq}, it tells what was missed and what came
 * twice (an event replayed at recovery and also received live is a duplicate).
 *
 * <p>Not thread-safe: a client's connections follow one another, and the client serializes them.
 */
final class SeqLedger {

    /** What one received event was to the ledger. */
    enum Receipt {
        NEW,
        DUPLICATE,
        /** At or before the first greeting's seq: an event of before the client came in. */
        BEFORE_START,
        /** Received before any greeting: cannot happen on a sound connection. */
        NOT_STARTED
    }

    private long start = MessageFrames.ABSENT;
    /** Bit i: seq {@code start + 1 + i} was received. */
    private final BitSet received = new BitSet();
    private long lastSeen = MessageFrames.ABSENT;
    private long duplicates;

    /** A greeting's seq; only the first one counts, later ones (reconnects) are where the chat stood then. */
    void greeted(long seq) {
        if (start == MessageFrames.ABSENT && seq >= 0) {
            start = seq;
            lastSeen = Math.max(lastSeen, seq);
        }
    }

    boolean started() {
        return start != MessageFrames.ABSENT;
    }

    Receipt received(long seq) {
        if (!started()) {
            return Receipt.NOT_STARTED;
        }
        if (seq <= start) {
            return Receipt.BEFORE_START;
        }
        int bit = Math.toIntExact(seq - start - 1);
        lastSeen = Math.max(lastSeen, seq);
        if (received.get(bit)) {
            duplicates++;
            return Receipt.DUPLICATE;
        }
        received.set(bit);
        return Receipt.NEW;
    }

    /** What to ask for on a reconnect ({@code ?since_seq=}): the latest seq seen, or -1 before any greeting. */
    long lastSeen() {
        return lastSeen;
    }

    /** Events in (first greeting's seq, {@code finalSeq}] that never came; 0 before any greeting. */
    long missed(long finalSeq) {
        if (!started() || finalSeq <= start) {
            return 0;
        }
        int owed = Math.toIntExact(finalSeq - start);
        return owed - received.get(0, owed).cardinality();
    }

    long duplicated() {
        return duplicates;
    }
}
