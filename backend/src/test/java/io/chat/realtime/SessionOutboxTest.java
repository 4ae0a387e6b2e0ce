package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;

/**
 * One socket's outbound path with the socket replaced by a recorder that the test completes when it
 * chooses: as a client that reads at once, or one that stops reading.
 */
class SessionOutboxTest {

    final List<String> written = new CopyOnWriteArrayList<>();
    final List<Consumer<Throwable>> inFlight = new CopyOnWriteArrayList<>();
    final List<CloseStatus> closes = new CopyOnWriteArrayList<>();
    final List<Long> overflows = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    boolean clientReads = true;

    final SessionOutbox.Transport socket = new SessionOutbox.Transport() {
        @Override
        public void sendText(OutboundFrame frame, Consumer<Throwable> done) {
            written.add(frame.text());
            if (clientReads) {
                done.accept(null);
            } else {
                inFlight.add(done);
            }
        }

        @Override
        public void sendPing(Consumer<Throwable> done) {
            written.add("ping");
            done.accept(null);
        }
    };

    final SessionOutbox.Trouble trouble = new SessionOutbox.Trouble() {
        @Override
        public void overflowed(long pendingBytes) {
            overflows.add(pendingBytes);
        }

        @Override
        public void writeFailed(Throwable failure) {
            failures.add(failure);
        }
    };

    final List<Runnable> delayed = new CopyOnWriteArrayList<>();

    final SessionOutbox.Closer closer = new SessionOutbox.Closer() {
        @Override
        public void close(CloseStatus status) {
            closes.add(status);
        }

        @Override
        public void later(java.time.Duration delay, Runnable task) {
            delayed.add(task);
        }
    };

    SessionOutbox outbox(long limitBytes) {
        return new SessionOutbox(socket, closer, limitBytes, java.time.Duration.ofSeconds(10), trouble);
    }

    @Test
    void framesOfAReadingClientAreWrittenAtOnceInOrderWithoutDeepRecursion() {
        SessionOutbox outbox = outbox(1 << 30);
        // many frames queued before the first write: each write completes at once, on this thread
        for (int i = 0; i < 50_000; i++) {
            outbox.enqueue(OutboundFrame.of("f" + i));
        }
        outbox.flush();
        assertThat(written).hasSize(50_000);
        assertThat(written.get(0)).isEqualTo("f0");
        assertThat(written.get(49_999)).isEqualTo("f49999");
        assertThat(outbox.pendingBytes()).isZero();
    }

    @Test
    void whileAWriteWaitsForTheClientTheNextFramesQueueAndFollowWhenItCompletes() {
        SessionOutbox outbox = outbox(1 << 20);
        clientReads = false;
        outbox.send(OutboundFrame.of("one"));
        outbox.send(OutboundFrame.of("two"));
        outbox.send(OutboundFrame.of("three"));
        assertThat(written).containsExactly("one");
        assertThat(outbox.pendingBytes()).isEqualTo(11);
        clientReads = true;
        inFlight.remove(0).accept(null);
        assertThat(written).containsExactly("one", "two", "three");
        assertThat(outbox.pendingBytes()).isZero();
    }

    @Test
    void aClientThatFallsMoreThanTheLimitBehindIsClosedWith1013OnceAndNothingMoreIsQueued() {
        SessionOutbox outbox = outbox(100);
        clientReads = false;
        outbox.send(OutboundFrame.of("x".repeat(60)));
        outbox.send(OutboundFrame.of("y".repeat(30)));
        assertThat(closes).isEmpty();
        outbox.send(OutboundFrame.of("z".repeat(20)));
        assertThat(overflows).containsExactly(110L);
        assertThat(closes).as("the close waits for the write under way, so that its frame follows it").isEmpty();
        outbox.send(OutboundFrame.of("later"));
        inFlight.remove(0).accept(null); // the client read again: the write completes, the close goes out
        assertThat(closes).containsExactly(CloseCodes.TOO_SLOW);
        assertThat(closes.get(0).getCode()).isEqualTo(1013);
        assertThat(closes.get(0).getReason()).isEqualTo("Too slow to keep up");
        assertThat(written).containsExactly("x".repeat(60));
        delayed.forEach(Runnable::run); // the fallback, later: nothing more
        assertThat(closes).hasSize(1);
    }

    @Test
    void aClientThatNeverReadsAgainIsClosedAfterTheWait() {
        SessionOutbox outbox = outbox(100);
        clientReads = false;
        outbox.send(OutboundFrame.of("x".repeat(90)));
        outbox.send(OutboundFrame.of("y".repeat(30)));
        assertThat(closes).isEmpty();
        assertThat(delayed).hasSize(1);
        delayed.get(0).run();
        assertThat(closes).containsExactly(CloseCodes.TOO_SLOW);
    }

    @Test
    void aFailedWriteClosesWith1011AndIsReportedOnce() {
        SessionOutbox outbox = outbox(1 << 20);
        clientReads = false;
        outbox.send(OutboundFrame.of("one"));
        outbox.send(OutboundFrame.of("two"));
        inFlight.remove(0).accept(new java.io.IOException("Broken pipe"));
        assertThat(failures).hasSize(1);
        assertThat(closes).containsExactly(CloseCodes.SERVER_ERROR);
        assertThat(written).containsExactly("one");
    }

    @Test
    void aWriteThatThrowsIsAFailureOfThisSocketOnly() {
        SessionOutbox outbox = new SessionOutbox(new SessionOutbox.Transport() {
            @Override
            public void sendText(OutboundFrame frame, Consumer<Throwable> done) {
                throw new IllegalStateException("The remote endpoint was in state [CLOSED]");
            }

            @Override
            public void sendPing(Consumer<Throwable> done) {
                throw new IllegalStateException("closed");
            }
        }, closer, 1 << 20, java.time.Duration.ofSeconds(10), trouble);
        outbox.send(OutboundFrame.of("one"));
        outbox.ping();
        assertThat(failures).hasSize(1);
        assertThat(closes).containsExactly(CloseCodes.SERVER_ERROR);
    }

    @Test
    void aCloseHappensWhateverIsBeingWrittenAndOnlyOnce() {
        SessionOutbox outbox = outbox(1 << 20);
        clientReads = false;
        outbox.send(OutboundFrame.of("one"));
        outbox.send(OutboundFrame.of("queued"));
        outbox.close(CloseCodes.TOKEN_EXPIRED);
        outbox.close(CloseCodes.ACCESS_DENIED);
        inFlight.remove(0).accept(null);
        assertThat(closes).containsExactly(CloseCodes.TOKEN_EXPIRED);
        outbox.send(OutboundFrame.of("after"));
        delayed.forEach(Runnable::run);
        assertThat(closes).containsExactly(CloseCodes.TOKEN_EXPIRED);
        assertThat(written).containsExactly("one");
    }

    @Test
    void framesQueuedFromManyThreadsAllGoOutEachThreadsInItsOrder() throws Exception {
        SessionOutbox outbox = outbox(1 << 30);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    outbox.send(OutboundFrame.of(thread + ":" + i));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(written).hasSize(20_000);
        for (int t = 0; t < 4; t++) {
            String prefix = t + ":";
            assertThat(written.stream().filter(frame -> frame.startsWith(prefix))
                    .map(frame -> Integer.parseInt(frame.substring(prefix.length()))).toList()).isSorted();
        }
    }
}
