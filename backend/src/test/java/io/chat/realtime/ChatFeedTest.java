package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.chat.auth.AuthenticatedUser;
import io.chat.fanout.ChatEvent;

/**
 * The ordering rules of one chat's feed, with the database and the repair threads replaced by a
 * table of stored events and a list of tasks that the test runs when it chooses (so time is the
 * test's, not the machine's).
 */
class ChatFeedTest {

    static final long CHAT = 7;
    static final long ALICE = 1;
    static final long BOB = 2;

    /** The chat's event log as the database holds it. */
    final TreeMap<Long, ChatEvent> stored = new TreeMap<>();
    final List<Scheduled> scheduled = new ArrayList<>();
    int databaseReads;
    boolean databaseDown;

    record Scheduled(Runnable task, Duration delay) {
    }

    final ChatFeed.Repair repair = new ChatFeed.Repair() {
        @Override
        public void schedule(Runnable task, Duration delay) {
            scheduled.add(new Scheduled(task, delay));
        }

        @Override
        public List<ChatEvent> eventsBetween(long chatId, long afterSeq, long upToSeq, int limit) {
            databaseReads++;
            if (databaseDown) {
                throw new IllegalStateException("connection refused");
            }
            return stored.subMap(afterSeq, false, upToSeq, true).values().stream().limit(limit).toList();
        }
    };

    ChatFeed feed;
    List<String> alicesFrames;
    List<String> bobsFrames;

    @BeforeEach
    void aFeedThatDeliveredUpToTen() {
        for (long seq = 1; seq <= 10; seq++) {
            store(seq, ALICE);
        }
        feed = new ChatFeed(CHAT, 10, repair);
        alicesFrames = join(ALICE, 10);
        bobsFrames = join(BOB, 10);
    }

    @Test
    void eventsInOrderGoOutAtOnceWithoutReadingTheDatabase() {
        feed.accept(store(11, ALICE));
        feed.accept(store(12, ALICE));
        assertThat(seqs(bobsFrames)).containsExactly(11L, 12L);
        assertThat(seqs(alicesFrames)).containsExactly(11L, 12L);
        assertThat(scheduled).isEmpty();
        assertThat(databaseReads).isZero();
    }

    @Test
    void anEventAheadOfAGapWaitsForTheMissingOneAndThenBothGoOutInOrder() {
        ChatEvent eleven = store(11, ALICE);
        feed.accept(store(12, ALICE));
        assertThat(bobsFrames).isEmpty();
        feed.accept(eleven);
        assertThat(seqs(bobsFrames)).containsExactly(11L, 12L);
        runScheduled(); // the grace ends: nothing left to read
        assertThat(databaseReads).isZero();
        assertThat(seqs(bobsFrames)).containsExactly(11L, 12L);
    }

    @Test
    void aGapThatDoesNotFillItselfIsReadFromTheDatabaseAfterTheGrace() {
        store(11, ALICE);
        store(12, ALICE);
        feed.accept(store(13, ALICE));
        assertThat(scheduled).extracting(Scheduled::delay).containsExactly(ChatFeed.GAP_GRACE);
        runScheduled();
        assertThat(seqs(bobsFrames)).containsExactly(11L, 12L, 13L);
        assertThat(databaseReads).isEqualTo(1);
    }

    @Test
    void lateAndRepeatedEventsAreDropped() {
        feed.accept(store(11, ALICE));
        feed.accept(stored.get(11L));
        feed.accept(stored.get(5L));
        assertThat(seqs(bobsFrames)).containsExactly(11L);
    }

    @Test
    void eventsThatArriveWhileTheGapIsBeingReadAreNeitherLostNorRepeated() {
        store(11, ALICE);
        ChatEvent twelve = store(12, ALICE);
        ChatEvent fourteen = store(14, ALICE);
        ChatEvent thirteen = store(13, ALICE);
        feed.accept(twelve);
        // the broker brings 13 and 14 while the repair thread is about to read 11
        feed.accept(fourteen);
        feed.accept(thirteen);
        runScheduled();
        feed.accept(twelve);
        assertThat(seqs(bobsFrames)).containsExactly(11L, 12L, 13L, 14L);
    }

    @Test
    void readersOwnReadReceiptGoesToTheOthersOnlyAndStillAdvancesItsFeed() {
        feed.accept(store(11, ChatEvent.toOthers(CHAT, BOB, 11, frame(11))));
        feed.accept(store(12, ALICE));
        assertThat(seqs(alicesFrames)).containsExactly(11L, 12L);
        assertThat(seqs(bobsFrames)).containsExactly(12L);
    }

    @Test
    void whatTheDatabaseIsKnownToHoldIsReadIfTheFanOutDoesNotBringItInTime() {
        store(11, ALICE);
        store(12, ALICE);
        feed.observe(12);
        runScheduled();
        assertThat(seqs(bobsFrames)).containsExactly(11L, 12L);
        feed.observe(12);
        assertThat(scheduled).as("nothing left to do").isEmpty();
    }

    @Test
    void aFailedReadIsTriedAgainAndNothingIsDeliveredOutOfOrderMeanwhile() {
        store(11, ALICE);
        feed.accept(store(12, ALICE));
        databaseDown = true;
        runScheduled();
        assertThat(bobsFrames).isEmpty();
        assertThat(scheduled).extracting(Scheduled::delay).containsExactly(Duration.ofSeconds(1));
        databaseDown = false;
        runScheduled();
        assertThat(seqs(bobsFrames)).containsExactly(11L, 12L);
    }

    @Test
    void numbersMissingFromTheDatabaseAreSkippedRatherThanStallingTheChat() {
        feed.accept(store(13, ALICE)); // 11 and 12 are not stored
        runScheduled();
        assertThat(seqs(bobsFrames)).containsExactly(13L);
        feed.accept(store(14, ALICE));
        assertThat(seqs(bobsFrames)).containsExactly(13L, 14L);
    }

    @Test
    void aLongGapIsReadInBatches() {
        for (long seq = 11; seq <= 1210; seq++) {
            store(seq, ALICE);
        }
        feed.accept(store(1211, ALICE));
        runScheduled();
        assertThat(seqs(bobsFrames)).hasSize(1201).isSorted().doesNotHaveDuplicates();
        assertThat(seqs(bobsFrames).get(1200)).isEqualTo(1211L);
        assertThat(databaseReads).isEqualTo(3);
    }

    @Test
    void aNewSessionStartsAfterWhatTheDatabaseHeldAtItsAdmissionAndGetsOnlyLaterEvents() {
        ChatEvent eleven = store(11, ALICE);
        ChatEvent twelve = store(12, ALICE);
        List<String> carols = join(3, 12); // admitted when the database held 12; 11 and 12 are on their way
        feed.accept(eleven);
        feed.accept(twelve);
        feed.accept(store(13, ALICE));
        assertThat(seqs(carols)).containsExactly(13L);
        assertThat(seqs(bobsFrames)).containsExactly(11L, 12L, 13L);
    }

    @Test
    void checkingTheDatabaseDeliversWhatCommittedBeforeTheChatWasRouted() {
        store(11, ALICE);
        store(12, ALICE);
        feed.checkDatabase();
        assertThat(scheduled).extracting(Scheduled::delay).containsExactly(Duration.ZERO);
        runScheduled();
        assertThat(seqs(bobsFrames)).containsExactly(11L, 12L);
        feed.accept(store(13, ALICE));
        assertThat(seqs(bobsFrames)).containsExactly(11L, 12L, 13L);
    }

    @Test
    void typingIsNotNumberedAndGoesOutAsItComes() {
        feed.accept(store(12, ALICE)); // waits for 11
        feed.accept(ChatEvent.transientToOthers(CHAT, ALICE, "{\"type\":\"typing\"}"));
        assertThat(bobsFrames).containsExactly("{\"type\":\"typing\"}");
        assertThat(alicesFrames).isEmpty();
    }

    private ChatEvent store(long seq, long actor) {
        return store(seq, ChatEvent.toAll(CHAT, actor, seq, frame(seq)));
    }

    private ChatEvent store(long seq, ChatEvent event) {
        stored.put(seq, event);
        return event;
    }

    private static String frame(long seq) {
        return "{\"type\":\"message\",\"seq\":" + seq + "}";
    }

    /** Runs what was scheduled, and what that scheduled in turn, as if every delay had passed. */
    private void runScheduled() {
        List<Scheduled> due = new ArrayList<>(scheduled);
        scheduled.clear();
        due.forEach(task -> task.task().run());
        if (!scheduled.isEmpty() && scheduled.stream().allMatch(task -> task.delay().isZero())) {
            runScheduled();
        }
    }

    /** A live session of the user in the feed; returns the frames it is sent. */
    private List<String> join(long userId, long committed) {
        List<String> frames = new ArrayList<>();
        SessionOutbox.Transport socket = new SessionOutbox.Transport() {
            @Override
            public void sendText(OutboundFrame frame, Consumer<Throwable> done) {
                frames.add(frame.text());
                done.accept(null);
            }

            @Override
            public void sendPing(Consumer<Throwable> done) {
                done.accept(null);
            }
        };
        ChatSession session = new ChatSession("session-" + userId, new AuthenticatedUser(userId, "user" + userId),
                CHAT, null, null, new ChatSession.Socket(socket, new SessionOutbox.Closer() {
                    @Override
                    public void close(org.springframework.web.socket.CloseStatus status) {
                    }

                    @Override
                    public void later(Duration delay, Runnable task) {
                    }
                }, 1 << 20, Duration.ofSeconds(10), 65536));
        feed.join(session, committed);
        session.goLive();
        return frames;
    }

    private static List<Long> seqs(List<String> frames) {
        return frames.stream().map(frame -> Long.parseLong(frame.replaceAll(".*\"seq\":(\\d+).*", "$1"))).toList();
    }
}
