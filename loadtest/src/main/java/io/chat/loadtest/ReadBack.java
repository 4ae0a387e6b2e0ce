package io.chat.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Reads a run's messages back from the database over REST once its deliveries have drained, so
 * that what the clients saw delivered can be held against what was stored. The server broadcasts
 * only stored messages, so the two must agree: a message stored but never delivered is lost from
 * every member's view, and one delivered but absent was never durable.
 *
 * <p>Each chat is read from where its previous read-back stopped (one history call per 200
 * messages), a few chats at a time, within a deadline: a slow read-back leaves its figures unknown
 * rather than holding the run.
 */
final class ReadBack {

    /** A chat of the run and the member whose token reads it. */
    record Chat(long id, ChatApi.User reader) {
    }

    /**
     * The tool's messages found in the database.
     *
     * @param sequences the sequences of the messages found
     * @param rows how many stored messages carried them: more than the sequences means some were stored twice
     */
    record Found(BitSet sequences, long rows) {

        /**
         * How the database and the deliveries disagree; all zero when they agree. A server still
         * working off a backlog keeps storing and delivering while the read-back runs, so the
         * deliveries are taken twice: a message received by the end of the drain must be in the
         * database, and one in the database must have been received by the end of the read-back.
         * What is received in between and not read back is neither (it was stored after the
         * reader went past).
         *
         * @param byDrain sequences received by the end of the drain
         * @param byEnd sequences received by the end of the read-back (a superset)
         */
        Comparison compareWith(BitSet byDrain, BitSet byEnd) {
            BitSet notStored = (BitSet) byDrain.clone();
            notStored.andNot(sequences);
            BitSet notDelivered = (BitSet) sequences.clone();
            notDelivered.andNot(byEnd);
            return new Comparison(notStored.cardinality(), notDelivered.cardinality(), rows - sequences.cardinality());
        }
    }

    /**
     * @param deliveredNotStored messages some client received that the database does not hold
     * @param storedNotDelivered messages the database holds that no client received
     * @param storedTwice extra rows for messages sent once
     */
    record Comparison(long deliveredNotStored, long storedNotDelivered, long storedTwice) {

        long total() {
            return deliveredNotStored + storedNotDelivered + storedTwice;
        }

        String describe() {
            return deliveredNotStored + " delivered but not in the database, " + storedNotDelivered
                    + " in the database but never delivered, " + storedTwice + " stored twice";
        }
    }

    /** Chats read at once: enough to overlap round trips, few enough not to load the server under test. */
    private static final int PARALLEL_CHATS = 4;

    private final ChatApi api;
    private final List<Chat> chats;
    /** Per chat, the last message id read: each read-back goes on from there. */
    private final Map<Long, Long> cursors = new ConcurrentHashMap<>();

    ReadBack(ChatApi api, List<Chat> chats) {
        this.api = api;
        this.chats = chats;
    }

    /**
     * Reads every chat's new messages and keeps the tool's with a sequence of at least
     * {@code fromSequence} (the current step's).
     *
     * @return what was found, or null when the deadline passed or the server refused a read (said on stderr)
     */
    Found read(int fromSequence, Duration deadline) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_CHATS, chats.size()));
        long start = System.nanoTime();
        try {
            List<Callable<Found>> reads = new ArrayList<>();
            for (Chat chat : chats) {
                reads.add(() -> readChat(chat, fromSequence));
            }
            BitSet sequences = new BitSet();
            long rows = 0;
            for (Future<Found> read : pool.invokeAll(reads, deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                Found found = read.get();
                sequences.or(found.sequences());
                rows += found.rows();
            }
            Progress.phase("read-back", rows + " messages of the run read back in "
                    + String.format("%.1f", (System.nanoTime() - start) / 1e9) + " s");
            return new Found(sequences, rows);
        } catch (CancellationException late) {
            Progress.phase("read-back", "not finished within " + deadline.toSeconds()
                    + " s: figures unknown (raise --read-back)");
            return null;
        } catch (ExecutionException failed) {
            Progress.phase("read-back", "failed, figures unknown: " + failed.getCause());
            return null;
        } finally {
            pool.shutdownNow();
        }
    }

    private Found readChat(Chat chat, int fromSequence) throws Exception {
        BitSet sequences = new BitSet();
        long rows = 0;
        ChatApi.HistoryPage page;
        do {
            page = api.messagesAfter(chat.id(), chat.reader(), cursors.getOrDefault(chat.id(), 0L));
            for (ChatApi.StoredMessage message : page.results()) {
                long sequence = MessageFrames.sequenceOfText(message.text());
                if (sequence >= fromSequence && sequence <= Integer.MAX_VALUE) {
                    sequences.set((int) sequence);
                    rows++;
                }
                cursors.merge(chat.id(), message.id(), Math::max);
            }
        } while (page.hasMore() && !page.results().isEmpty());
        return new Found(sequences, rows);
    }
}
