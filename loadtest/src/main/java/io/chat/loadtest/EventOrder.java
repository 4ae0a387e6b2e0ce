package io.chat.loadtest;

/**
 * One connection's record of the order of its chat's events: the protocol promises that the
 * frames carrying {@code seq} arrive in seq order, each exactly once and with no gap, starting
 * after the seq of {@code connection_established}, and that message ids grow in the same order.
 *
 * <p>A server without event numbers sends no seq in {@code connection_established}; the
 * connection then checks nothing about seq ({@link #checksSeq()} is false) rather than count every
 * frame as wrong. Ids are followed either way (such a server promises nothing about their order,
 * which is worth seeing too).
 *
 * <p>Not thread-safe, and need not be: a connection's frames are handled one at a time on its
 * event loop. {@link #checksSeq()} alone is read by other threads.
 */
final class EventOrder {

    /** What one seq-carrying frame was, relative to the ones before it on the same connection. */
    enum Step {
        /** last + 1: as promised */
        IN_ORDER,
        /** more than last + 1: the events between were skipped (this frame itself is kept) */
        GAP,
        /** last or less: a repeat, or an event older than one already received */
        OUT_OF_ORDER,
        /**
         * no seq, from a server that numbered the connection's greeting. The one seq-less message
         * frame the protocol allows is the answer to a resend with a known {@code client_id}, which
         * this tool never sends; so here it is a fault.
         */
        MISSING,
        /** the server numbers no events: nothing to check */
        NOT_CHECKED
    }

    private volatile boolean checksSeq;
    private long lastSeq = MessageFrames.ABSENT;
    private long lastId = MessageFrames.ABSENT;

    /** The greeting's seq: the chat's latest event when the connection went live, or ABSENT. */
    void established(long seq) {
        lastSeq = seq;
        checksSeq = seq != MessageFrames.ABSENT;
    }

    boolean checksSeq() {
        return checksSeq;
    }

    Step event(long seq) {
        if (!checksSeq) {
            return Step.NOT_CHECKED;
        }
        if (seq == MessageFrames.ABSENT) {
            return Step.MISSING;
        }
        if (seq <= lastSeq) {
            // the newest seen stays the reference: one stray old frame must not make the next ones gaps
            return Step.OUT_OF_ORDER;
        }
        Step step = seq == lastSeq + 1 ? Step.IN_ORDER : Step.GAP;
        lastSeq = seq;
        return step;
    }

    /**
     * @return false if the id is lower than one this connection already received. An equal id is a
     *         repeat of the same message, which the delivery bookkeeping counts as a duplicate.
     */
    boolean messageIdInOrder(long id) {
        if (id == MessageFrames.ABSENT) {
            return true;
        }
        if (id < lastId) {
            return false;
        }
        lastId = id;
        return true;
    }
}
