package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

import tools.jackson.databind.JsonNode;

/**
 * Opens never wait for the broker to route a chat to their instance, yet a socket misses nothing:
 * sockets open on one instance (the chat's first there, so RabbitMQ has not routed it yet) in the
 * same instant as messages are sent on the other, many times over, and each socket gets every
 * message after its greeting's {@code seq}, once and in order.
 */
class OpenWhileSendingAcrossInstancesTest {

    static final int ROUNDS = 20;
    static final int MESSAGES = 15;

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
    void socketsOpeningWhileTheOtherInstanceSendsGetEveryLaterEventOnceAndInOrder() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        TestUser bob = one.newUser();
        TestUser carol = one.newUser();
        for (int round = 0; round < ROUNDS; round++) {
            long chat = one.newChat(alice, bob, carol);
            try (WsClient sender = WsClient.open(one.wsUrl(chat), alice.access())) {
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < MESSAGES; i++) {
                        sender.sendJson(Map.of("type", "message", "text", "m" + i));
                    }
                });
                CompletableFuture<WsClient> bobOpens = CompletableFuture.supplyAsync(
                        () -> WsClient.connect(two.wsUrl(chat), bob.access()));
                CompletableFuture<WsClient> carolOpens = CompletableFuture.supplyAsync(
                        () -> WsClient.connect(two.wsUrl(chat), carol.access()));
                try (WsClient b = bobOpens.get(); WsClient c = carolOpens.get()) {
                    sending.get();
                    long last = 0;
                    for (int i = 0; i < MESSAGES; i++) {
                        last = Math.max(last, sender.nextOfType("message").get("seq").asLong());
                    }
                    assertReceivesEverythingAfterItsGreeting(b, last, round);
                    assertReceivesEverythingAfterItsGreeting(c, last, round);
                }
            }
        }
    }

    private static void assertReceivesEverythingAfterItsGreeting(WsClient socket, long last, int round) {
        JsonNode greeting = socket.next();
        assertThat(greeting.get("type").asString()).as("round %d", round).isEqualTo("connection_established");
        long start = greeting.get("seq").asLong();
        List<Long> seqs = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((seqs.isEmpty() || seqs.get(seqs.size() - 1) < last) && start < last
                && System.nanoTime() < deadline) {
            JsonNode frame = socket.poll(Duration.ofMillis(100));
            if (frame != null && "message".equals(frame.path("type").asString())) {
                seqs.add(frame.get("seq").asLong());
            }
        }
        assertThat(seqs).as("round %d: every message after the greeting's seq %d, once, in order", round, start)
                .isEqualTo(LongStream.rangeClosed(start + 1, last).boxed().toList());
    }
}
