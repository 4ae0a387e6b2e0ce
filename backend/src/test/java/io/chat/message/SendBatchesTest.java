package io.chat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.chat.auth.UserSummary;

/** How sends of one chat are grouped into transactions, with the transaction replaced by a recorder. */
class SendBatchesTest {

    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final ExecutorService storers = Executors.newFixedThreadPool(4);

    SendBatches batches(SendBatches.Store store) {
        return new SendBatches(store, storers);
    }
    final AtomicInteger concurrentStores = new AtomicInteger();
    final AtomicInteger mostConcurrentStores = new AtomicInteger();

    @Test
    void aLoneSendIsStoredAtOnceByTheSendersOwnThread() {
        List<Thread> storingThreads = new CopyOnWriteArrayList<>();
        SendBatches sends = batches((chatId, batch, oneSender) -> {
            storingThreads.add(Thread.currentThread());
            complete(batch);
            return List.of();
        });
        CompletableFuture<MessageService.Sent> sent = sends.submitAsync(1, new SendBatches.Pending(7, "hello", null));
        assertThat(sent).as("stored before submitAsync returned").isCompleted();
        assertThat(sent.join().message().text()).isEqualTo("hello");
        assertThat(storingThreads).containsExactly(Thread.currentThread());
    }

    @Test
    void whileSoManySendersThreadsStoreThatADatabaseStallWouldHoldThemTheNextChatsSendGoesToAStorer()
            throws Exception {
        int storing = SendBatches.MAX_SENDERS_STORING;
        CountDownLatch allStoring = new CountDownLatch(storing);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> storingThreads = new CopyOnWriteArrayList<>();
        SendBatches sends = batches((chatId, batch, oneSender) -> {
            storingThreads.add(Thread.currentThread());
            if (chatId <= storing) {
                allStoring.countDown();
                await(release); // a stalled database
            }
            complete(batch);
            return List.of();
        });
        ExecutorService senders = Executors.newFixedThreadPool(storing);
        try {
            List<Future<MessageService.Sent>> stalled = new ArrayList<>();
            for (long chat = 1; chat <= storing; chat++) {
                long id = chat;
                stalled.add(senders.submit(() -> sends.submit(id, new SendBatches.Pending(1, "stalled", null))));
            }
            assertThat(allStoring.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<MessageService.Sent> next =
                    sends.submitAsync(storing + 1, new SendBatches.Pending(1, "next", null));
            assertThat(next.get(5, TimeUnit.SECONDS).message().text()).isEqualTo("next");
            assertThat(storingThreads.get(storingThreads.size() - 1)).isNotEqualTo(Thread.currentThread());
            release.countDown();
            for (Future<MessageService.Sent> send : stalled) {
                assertThat(send.get(5, TimeUnit.SECONDS).message().text()).isEqualTo("stalled");
            }
        } finally {
            release.countDown();
            senders.shutdownNow();
        }
    }

    @Test
    void sendsThatArriveWhileABatchIsStoredGoIntoTheNextOneAndOneChatHasAtMostTwoTransactionsAtATime()
            throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SendBatches sends = batches((chatId, batch, oneSender) -> {
            mostConcurrentStores.accumulateAndGet(concurrentStores.incrementAndGet(), Math::max);
            batches.add(batch.stream().map(SendBatches.Pending::text).toList());
            firstStarted.countDown();
            await(release);
            complete(batch);
            concurrentStores.decrementAndGet();
            return List.of();
        });
        ExecutorService pool = Executors.newFixedThreadPool(11);
        try {
            Future<MessageService.Sent> first = pool.submit(() -> sends.submit(1, new SendBatches.Pending(1, "first", null)));
            assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
            List<Future<MessageService.Sent>> waiting = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String text = "waiting " + i;
                waiting.add(pool.submit(() -> sends.submit(1, new SendBatches.Pending(2, text, null))));
            }
            Thread.sleep(200); // one is stored alongside the first, the other nine queue behind them
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS).message().text()).isEqualTo("first");
            for (int i = 0; i < 10; i++) {
                assertThat(waiting.get(i).get(5, TimeUnit.SECONDS).message().text()).isEqualTo("waiting " + i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(batches).hasSize(3);
        assertThat(batches.get(0)).containsExactly("first");
        assertThat(batches.get(1)).hasSize(1);
        assertThat(batches.get(2)).hasSize(9).doesNotContainAnyElementsOf(batches.get(1));
        assertThat(mostConcurrentStores.get()).isEqualTo(2);
    }

    @Test
    void aSecondSendOfAQuietChatIsStoredAtOnceByItsOwnThreadAlongsideTheFirstButNotAThird() throws Exception {
        CountDownLatch twoStoring = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<String> storedBy = new CopyOnWriteArrayList<>();
        SendBatches sends = batches((chatId, batch, oneSender) -> {
            storedBy.add(batch.stream().map(SendBatches.Pending::text).toList() + " by " + Thread.currentThread().getName()
                    + (oneSender ? " alone" : ""));
            twoStoring.countDown();
            await(release);
            complete(batch);
            return List.of();
        });
        ExecutorService first = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "first"));
        ExecutorService second = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "second"));
        try {
            Future<MessageService.Sent> one = first.submit(() -> sends.submit(1, new SendBatches.Pending(1, "a", null)));
            Future<MessageService.Sent> two = second.submit(() -> sends.submit(1, new SendBatches.Pending(2, "b", null)));
            assertThat(twoStoring.await(5, TimeUnit.SECONDS)).as("both stored at once").isTrue();
            CompletableFuture<MessageService.Sent> three = sends.submitAsync(1, new SendBatches.Pending(3, "c", null));
            assertThat(three).as("a third queues for the chat's storer").isNotCompleted();
            release.countDown();
            assertThat(one.get(5, TimeUnit.SECONDS).message().text()).isEqualTo("a");
            assertThat(two.get(5, TimeUnit.SECONDS).message().text()).isEqualTo("b");
            assertThat(three.get(5, TimeUnit.SECONDS).message().text()).isEqualTo("c");
        } finally {
            release.countDown();
            first.shutdownNow();
            second.shutdownNow();
        }
        assertThat(storedBy).hasSize(3);
        assertThat(storedBy.subList(0, 2)).containsExactlyInAnyOrder("[a] by first alone", "[b] by second alone");
        assertThat(storedBy.get(2)).startsWith("[c] by pool-");
    }

    @Test
    void aFailedBatchFailsEachOfItsSendsWithTheCause() {
        SendBatches sends = batches((chatId, batch, oneSender) -> {
            throw new IllegalStateException("database down");
        });
        assertThatThrownBy(() -> sends.submit(1, new SendBatches.Pending(1, "x", null)))
                .isInstanceOf(IllegalStateException.class).hasMessage("database down");
        // and the chat is not stuck: the next send is tried again
        assertThatThrownBy(() -> sends.submit(1, new SendBatches.Pending(1, "y", null)))
                .hasMessage("database down");
    }

    @Test
    void chatsAreBatchedSeparatelyAndConcurrently() throws Exception {
        CountDownLatch bothStoring = new CountDownLatch(2);
        SendBatches sends = batches((chatId, batch, oneSender) -> {
            bothStoring.countDown();
            await(bothStoring); // would never return if chat 2 waited for chat 1
            complete(batch);
            return List.of();
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<MessageService.Sent> one = pool.submit(() -> sends.submit(1, new SendBatches.Pending(1, "a", null)));
            Future<MessageService.Sent> two = pool.submit(() -> sends.submit(2, new SendBatches.Pending(1, "b", null)));
            assertThat(one.get(5, TimeUnit.SECONDS).message().text()).isEqualTo("a");
            assertThat(two.get(5, TimeUnit.SECONDS).message().text()).isEqualTo("b");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sendsOfASenderBusyElsewhereAreStoredNextWaitingForThatSenderAlone() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        CountDownLatch twoStarted = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        SendBatches sends = batches((chatId, batch, oneSender) -> {
            calls.add(batch.stream().map(SendBatches.Pending::text).toList() + (oneSender ? " alone" : " together"));
            if (calls.size() <= 2) {
                twoStarted.countDown();
                await(release);
            }
            List<SendBatches.Pending> busy = oneSender ? List.of()
                    : batch.stream().filter(pending -> pending.senderId() == 2).toList();
            complete(batch.stream().filter(pending -> !busy.contains(pending)).toList());
            return busy;
        });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<MessageService.Sent> first = pool.submit(() -> sends.submit(1, new SendBatches.Pending(1, "first", null)));
            Thread.sleep(100);
            // stored alongside the first: the two after it queue
            Future<MessageService.Sent> zero = pool.submit(() -> sends.submit(1, new SendBatches.Pending(3, "zero", null)));
            assertThat(twoStarted.await(5, TimeUnit.SECONDS)).isTrue();
            Future<MessageService.Sent> one = pool.submit(() -> sends.submit(1, new SendBatches.Pending(1, "one", null)));
            Thread.sleep(100);
            Future<MessageService.Sent> two = pool.submit(() -> sends.submit(1, new SendBatches.Pending(2, "two", null)));
            Thread.sleep(100);
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS).message().text()).isEqualTo("first");
            assertThat(zero.get(5, TimeUnit.SECONDS).message().text()).isEqualTo("zero");
            assertThat(one.get(5, TimeUnit.SECONDS).message().text()).isEqualTo("one");
            assertThat(two.get(5, TimeUnit.SECONDS).message().text()).isEqualTo("two");
        } finally {
            pool.shutdownNow();
        }
        assertThat(calls).containsExactly("[first] alone", "[zero] alone", "[one, two] together", "[two] alone");
    }

    private static void complete(List<SendBatches.Pending> batch) {
        for (SendBatches.Pending pending : batch) {
            pending.result().complete(new MessageService.Sent(new MessageView(1, pending.text(),
                    new UserSummary(pending.senderId(), "u", "", ""), Instant.now(), false, false, 1, null), true));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }
}
