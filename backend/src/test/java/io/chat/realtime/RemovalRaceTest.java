package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * A participant removed at any moment, including while their socket is opening, gets no event of
 * the chat that committed after the removal, and their socket is closed with 4403. The race is run
 * many times with the removal at varying moments of the open.
 */
@ChatServerTest
@TestPropertySource(properties = "chat.limits.messages-per-minute=100000")
class RemovalRaceTest {

    static final int ROUNDS = 40;

    @LocalServerPort
    int port;

    @Test
    void aRemovalRacingAnOpenAlwaysEndsInA4403AndNoLaterEvent() throws Exception {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        int closedAtOpen = 0;
        int closedAfterGreeting = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long chat = api.newChat(alice, bob);
            api.post("/api/chats/" + chat + "/messages/", alice.access(), Api.json(Map.of("text", "before")));
            long delayMicros = ThreadLocalRandom.current().nextLong(0, 20_000);
            CompletableFuture<Integer> removal = CompletableFuture.supplyAsync(() -> {
                sleepMicros(delayMicros);
                return api.delete("/api/chats/" + chat + "/participants/" + bob.id() + "/", alice.access()).status();
            });
            try (WsClient b = WsClient.connect(api.wsUrl(chat), bob.access())) {
                assertThat(removal.get()).isEqualTo(204);
                api.post("/api/chats/" + chat + "/messages/", alice.access(), Api.json(Map.of("text", "after")));
                assertThat(b.awaitClose(Duration.ofSeconds(5))).as("round %d", round)
                        .isEqualTo(new WsClient.Closed(4403, "Access denied"));
                List<JsonNode> received = b.drain();
                assertThat(received).as("round %d", round).noneMatch(frame ->
                        "message".equals(frame.path("type").asString())
                                && "after".equals(frame.path("data").path("text").asString()));
                if (received.isEmpty()) {
                    closedAtOpen++;
                } else {
                    closedAfterGreeting++;
                }
            }
        }
        System.out.printf("removal races: %d closed at open, %d after the greeting%n", closedAtOpen,
                closedAfterGreeting);
    }

    @Test
    void aRemovedParticipantsSendIsRefusedEvenBeforeTheRemovalReachesTheSocket() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        for (int round = 0; round < 10; round++) {
            long chat = api.newChat(alice, bob);
            try (WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
                CompletableFuture<Integer> removal = CompletableFuture.supplyAsync(() ->
                        api.delete("/api/chats/" + chat + "/participants/" + bob.id() + "/", alice.access()).status());
                for (int i = 0; i < 20; i++) {
                    b.sendJson(Map.of("type", "message", "text", "racing " + i));
                }
                assertThat(removal.join()).isEqualTo(204);
                assertThat(b.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(4403);
            }
            int stored = api.events(chat, 0, alice).size();
            assertThat(stored).isLessThanOrEqualTo(20);
            assertThat(api.post("/api/chats/" + chat + "/messages/", bob.access(),
                    Api.json(Map.of("text", "too late"))).status()).isEqualTo(404);
            try (WsClient again = WsClient.connect(api.wsUrl(chat), bob.access())) {
                assertThat(again.awaitClose().code()).isEqualTo(4403);
            }
            assertThat(api.events(chat, 0, alice)).as("nothing of bob's stored once he was closed").hasSize(stored);
        }
    }

    private static void sleepMicros(long micros) {
        long until = System.nanoTime() + micros * 1000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
