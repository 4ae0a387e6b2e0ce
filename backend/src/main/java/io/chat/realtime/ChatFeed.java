package io.chat.realtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chat.fanout.ChatEvent;

/**
 * One chat's events on this instance, put back into the order of the chat's sequence before they
 * reach the chat's sessions here: each numbered event is delivered once, in order, with no gap.
 *
 * <p>Events come from the fan-out in roughly that order: commits of concurrent senders are published
 * by different threads, or different instances, and may overtake each other by a moment; the broker
 * may also lose some (a dropped connection, an outage). So the feed remembers the last number it
 * delivered. The next number goes out at once: the common case costs one comparison under the
 * feed's lock. A late or repeated one is dropped. One that comes ahead of a gap waits; if the
 * missing events have not come by themselves after {@link #GAP_GRACE} (they usually come within a
 * millisecond), the gap is read from the database and delivered from there, then whatever waited.
 * The database is the reference: every numbered event is committed before it is published, and an
 * event's number is only given once all smaller ones of its chat have committed.
 *
 * <p>Database reads never run under the lock nor on the thread that brought an event: they run on
 * the {@link Repair}'s threads ({@link FeedRepair}), so one chat's gap does not hold up the fan-out
 * of the others.
 */
final class ChatFeed {

    private static final Logger log = LoggerFactory.getLogger(ChatFeed.class);
    /** How long an event ahead of a gap waits for the missing ones to come by themselves. */
    static final Duration GAP_GRACE = Duration.ofMillis(50);
    /** A failed read of the database is tried again after this. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** Events read from the database at once; a longer gap is read in several rounds. */
    private static final int FILL_BATCH = 500;
    /** Target of a fill that reads whatever the database holds after the last delivered event. */
    private static final long EVERYTHING = Long.MAX_VALUE;

    /** Where a feed reads what the fan-out did not bring, and the threads it does so on. */
    interface Repair {

        /** Runs the task after the delay, on a thread that does nothing else but such repairs. */
        void schedule(Runnable task, Duration delay);

        /** The chat's numbered events after {@code afterSeq} up to {@code upToSeq}, oldest first. */
        List<ChatEvent> eventsBetween(long chatId, long afterSeq, long upToSeq, int limit);
    }

    private final long chatId;
    private final Repair repair;
    private final Set<ChatSession> sessions = ConcurrentHashMap.newKeySet();

    // Guarded by this.
    private long delivered;
    /** Numbered events that came ahead of a gap, by number; created on the first one. */
    private TreeMap<Long, ChatEvent> ahead;
    /** Highest number known to exist from the database; a fill reads up to here. */
    private long known;
    /** A fill is scheduled or running; another is not scheduled meanwhile. */
    private boolean filling;

    /** @param delivered the number up to which the chat's events need not be delivered by this feed */
    ChatFeed(long chatId, long delivered, Repair repair) {
        this.chatId = chatId;
        this.delivered = delivered;
        this.repair = repair;
    }

    long chatId() {
        return chatId;
    }

    /**
     * Adds a session that has not gone live yet (it holds back what it gets until then).
     *
     * @param committed the chat's latest number as the database said while the session was admitted
     * @return the number the session starts after: every event up to it is the session's past (its
     *     recovery, if it asked for one), every later one reaches it through this feed
     */
    synchronized long join(ChatSession session, long committed) {
        long start = Math.max(delivered, committed);
        session.startAfter(start);
        sessions.add(session);
        if (committed > delivered) {
            // committed but not here yet: on the way, or lost; the grace tells which
            observe(committed);
        }
        return start;
    }

    void leave(ChatSession session) {
        sessions.remove(session);
    }

    boolean isEmpty() {
        return sessions.isEmpty();
    }

    Set<ChatSession> sessions() {
        return sessions;
    }

    synchronized long delivered() {
        return delivered;
    }

    /**
     * An event from the fan-out: numbered ones in order, once; the others (typing) as they come.
     * Frames are queued to the sessions under the lock, in order, and written after it is let go,
     * so that threads bringing the next events are not held up by this one's writes.
     */
    void accept(ChatEvent event) {
        if (!event.isSequenced()) {
            flush(deliver(event, new ArrayList<>()));
            return;
        }
        List<ChatSession> toFlush = new ArrayList<>();
        synchronized (this) {
            long seq = event.seq();
            if (seq <= delivered) {
                return; // late, or already read from the database
            }
            if (seq == delivered + 1 && (ahead == null || ahead.isEmpty())) {
                deliverInOrder(event, toFlush); // the common case: next in line, nothing waiting
            } else {
                if (ahead == null) {
                    ahead = new TreeMap<>();
                }
                ahead.putIfAbsent(seq, event);
                deliverWhatIsContiguous(toFlush);
                if (!ahead.isEmpty()) {
                    scheduleFill(GAP_GRACE);
                }
            }
        }
        flush(toFlush);
    }

    /** The database holds events up to {@code seq}: any of them not delivered yet will be, from there if need be. */
    synchronized void observe(long seq) {
        if (seq > delivered) {
            known = Math.max(known, seq);
            scheduleFill(GAP_GRACE);
        }
    }

    /** Reads whatever the database holds after the last delivered event, now (a new feed, or the broker came back). */
    synchronized void checkDatabase() {
        known = EVERYTHING;
        scheduleFill(Duration.ZERO);
    }

    private void scheduleFill(Duration delay) {
        if (!filling) {
            filling = true;
            repair.schedule(this::fill, delay);
        }
    }

    /** Runs on a repair thread: reads the gap, if there still is one, and delivers it. */
    private void fill() {
        long from;
        long target;
        synchronized (this) {
            target = target();
            if (target <= delivered) {
                filling = false;
                return; // everything came by itself meanwhile
            }
            from = delivered;
        }
        List<ChatEvent> found;
        try {
            found = repair.eventsBetween(chatId, from, target, FILL_BATCH);
        } catch (RuntimeException databaseDown) {
            log.warn("feed.fill_failed chat={} after_seq={}: {}; trying again in {} s", chatId, from,
                    databaseDown.toString(), RETRY.toSeconds());
            synchronized (this) {
                filling = false;
                scheduleFill(RETRY);
            }
            return;
        }
        List<ChatSession> toFlush = new ArrayList<>();
        synchronized (this) {
            filling = false;
            for (ChatEvent event : found) {
                if (event.seq() > delivered) {
                    deliverInOrder(event, toFlush);
                }
            }
            boolean more = found.size() == FILL_BATCH;
            if (!more) {
                if (known == EVERYTHING) {
                    known = 0;
                } else if (delivered < target) {
                    // Numbers that the database does not hold although a later one was committed: their
                    // rows are gone (deleted with their messages). Waiting would stall the chat forever.
                    log.warn("feed.gap_skipped chat={} from_seq={} to_seq={}: not in the database", chatId,
                            delivered + 1, target);
                    delivered = target;
                }
            }
            deliverWhatIsContiguous(toFlush);
            if (more) {
                scheduleFill(Duration.ZERO);
            } else if (ahead != null && !ahead.isEmpty() || known > delivered) {
                scheduleFill(GAP_GRACE);
            }
            if (!found.isEmpty()) {
                log.debug("feed.filled chat={} after_seq={} events={}", chatId, from, found.size());
            }
        }
        flush(toFlush);
    }

    /** Up to where a fill reads: just before the first event that waits, or what the database is known to hold. */
    private long target() {
        long target = known;
        if (ahead != null && !ahead.isEmpty()) {
            target = Math.max(target, ahead.firstKey() - 1);
        }
        return target;
    }

    private void deliverWhatIsContiguous(List<ChatSession> toFlush) {
        if (ahead == null) {
            return;
        }
        while (!ahead.isEmpty()) {
            Map.Entry<Long, ChatEvent> first = ahead.firstEntry();
            if (first.getKey() <= delivered) {
                ahead.pollFirstEntry();
            } else if (first.getKey() == delivered + 1) {
                ahead.pollFirstEntry();
                deliverInOrder(first.getValue(), toFlush);
            } else {
                return;
            }
        }
    }

    /** Under the lock, so that every session gets the chat's events in one order. */
    private void deliverInOrder(ChatEvent event, List<ChatSession> toFlush) {
        delivered = event.seq();
        deliver(event, toFlush);
    }

    /**
     * Queues the event's frame, encoded once, to each session it is for. A session that fails is
     * closed with 1011 and the others still get the event.
     *
     * @return the sessions whose writer is idle, to be flushed once the lock is let go
     */
    private List<ChatSession> deliver(ChatEvent event, List<ChatSession> toFlush) {
        OutboundFrame frame = OutboundFrame.of(event);
        boolean others = event.audience() == ChatEvent.Audience.OTHERS;
        for (ChatSession session : sessions) {
            if (others && session.userId() == event.userId()) {
                continue;
            }
            try {
                if (session.deliver(event, frame)) {
                    toFlush.add(session);
                }
            } catch (RuntimeException failure) {
                log.error("ws.delivery_failed session={} user={} chat={} seq={}", session.id(), session.userId(),
                        chatId, event.seq(), failure);
                session.close(CloseCodes.SERVER_ERROR);
            }
        }
        return toFlush;
    }

    private void flush(List<ChatSession> toFlush) {
        for (ChatSession session : toFlush) {
            try {
                session.flush();
            } catch (RuntimeException failure) {
                log.error("ws.delivery_failed session={} user={} chat={}", session.id(), session.userId(), chatId,
                        failure);
                session.close(CloseCodes.SERVER_ERROR);
            }
        }
    }
}
