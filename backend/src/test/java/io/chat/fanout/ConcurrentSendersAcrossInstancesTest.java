package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * Twenty senders in one chat, half on each of two instances, while readers on both instances stay
 * connected or reconnect again and again, by {@code last_message_id} and by {@code since_seq}: every
 * stored message reaches every reader exactly once and in order, as the database lists them.
 *
 * <p>Before the chat's event sequence, ids came from a sequence at INSERT while the only lock was
 * the sender's, so two senders could commit id 11 before id 10, and a reader that saw 11 and
 * reconnected with {@code last_message_id=11} never got 10. With twenty concurrent senders that
 * interleaving happens many times per run.
 */
class ConcurrentSendersAcrossInstancesTest {

    static final int SENDERS = 20;
    static final int MESSAGES_EACH = 20;
    static Instances cluster;

    @BeforeAll
    static void startTwoInstances() {
        cluster = Instances.start(2, "--chat.limits.messages-per-minute=100000");
    }

    @AfterAll
    static void stopInstances() {
        cluster.close();
    }

    @Test
    void everyReaderOnEitherInstanceGetsEveryMessageOnceInOrderWhetherLiveOrReconnecting() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        List<TestUser> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            senders.add(one.newUser());
        }
        List<TestUser> readers = List.of(one.newUser(), one.newUser(), one.newUser(), one.newUser());
        List<TestUser> members = new ArrayList<>(senders.subList(1, SENDERS));
        members.addAll(readers);
        long chat = one.newChat(senders.get(0), members.toArray(TestUser[]::new));

        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS + 2);
        try (WsClient liveOnOne = WsClient.open(one.wsUrl(chat), readers.get(0).access());
                WsClient liveOnTwo = WsClient.open(two.wsUrl(chat), readers.get(1).access())) {
            Future<List<Long>> byLastId = pool.submit(() -> reconnectingReader(two, chat, readers.get(2), false,
                    sending));
            Future<List<Long>> bySeq = pool.submit(() -> reconnectingReader(one, chat, readers.get(3), true, sending));
            List<Future<?>> sends = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                Api via = s % 2 == 0 ? one : two;
                TestUser sender = senders.get(s);
                sends.add(pool.submit(() -> {
                    for (int i = 0; i < MESSAGES_EACH; i++) {
                        assertThat(via.post("/api/chats/" + chat + "/messages/", sender.access(),
                                Api.json(Map.of("text", sender.username() + " " + i))).status()).isEqualTo(201);
                    }
                }));
            }
            for (Future<?> send : sends) {
                send.get();
            }
            sending.set(false);

            int total = SENDERS * MESSAGES_EACH;
            List<Long> stored = one.messageIds(chat, readers.get(0));
            assertThat(stored).hasSize(total);
            List<Long> allNumbers = new ArrayList<>();
            for (long seq = 1; seq <= total; seq++) {
                allNumbers.add(seq);
            }
            for (WsClient live : List.of(liveOnOne, liveOnTwo)) {
                List<JsonNode> frames = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    frames.add(live.next());
                }
                assertThat(frames).extracting(frame -> frame.get("seq").asLong())
                        .containsExactlyElementsOf(allNumbers);
                assertThat(frames).extracting(frame -> frame.get("data").get("id").asLong())
                        .containsExactlyElementsOf(stored);
                live.expectSilence(Duration.ofMillis(300));
            }
            assertThat(byLastId.get()).as("reconnecting by last_message_id").containsExactlyElementsOf(stored);
            assertThat(bySeq.get()).as("reconnecting by since_seq").containsExactlyElementsOf(allNumbers);
        } finally {
            sending.set(false);
            pool.shutdownNow();
        }
    }

    /**
     * Connects, reads for a random moment, disconnects, and again, while the others send; then once
     * more to take the rest. Returns message ids ({@code last_message_id}) or event numbers ({@code since_seq})
     * in the order received.
     */
    private static List<Long> reconnectingReader(Api api, long chat, TestUser reader, boolean bySeq,
            AtomicBoolean sending) {
        List<Long> seen = new ArrayList<>();
        long lastSeq = 0;
        int rounds = 0;
        boolean last = false;
        while (!last) {
            last = !sending.get();
            long after = seen.isEmpty() ? 0 : seen.get(seen.size() - 1);
            String url = api.wsUrl(chat) + (bySeq ? "?since_seq=" : "?last_message_id=") + after;
            WsClient.Reconnected connected = WsClient.reconnect(url, reader.access());
            long latest = connected.greeting().get("seq").asLong();
            try (WsClient client = connected.client()) {
                long until = System.nanoTime()
                        + Duration.ofMillis(ThreadLocalRandom.current().nextInt(50, 250)).toNanos();
                while (last ? lastSeq < latest : System.nanoTime() < until) {
                    JsonNode frame = client.poll(last ? WsClient.WAIT : Duration.ofMillis(20));
                    if (frame == null) {
                        if (last) {
                            throw new AssertionError("the last round did not get up to seq " + latest);
                        }
                        continue;
                    }
                    lastSeq = frame.get("seq").asLong();
                    seen.add(bySeq ? lastSeq : frame.get("data").get("id").asLong());
                }
            }
            rounds++;
        }
        System.out.printf("%s reader reconnected %d times%n", bySeq ? "since_seq" : "last_message_id", rounds);
        return seen;
    }
}
