package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * A participant removed on one instance while their socket opens on another, the chat's first there:
 * however the two interleave, the socket ends closed with 4403 and gets nothing said after the
 * removal. (The removal's event reaches the other instance only once the chat is routed there; one
 * published before that is read from the database once it is.)
 */
class RemovalAcrossInstancesTest {

    static final int ROUNDS = 30;

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
    void aRemovalOnOneInstanceRacingAnOpenOnTheOtherAlwaysEndsInA4403() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        TestUser bob = one.newUser();
        for (int round = 0; round < ROUNDS; round++) {
            long chat = one.newChat(alice, bob);
            long delayMicros = ThreadLocalRandom.current().nextLong(0, 15_000);
            CompletableFuture<Integer> removal = CompletableFuture.supplyAsync(() -> {
                LockSupport.parkNanos(delayMicros * 1000);
                return one.delete("/api/chats/" + chat + "/participants/" + bob.id() + "/", alice.access()).status();
            });
            try (WsClient b = WsClient.connect(two.wsUrl(chat), bob.access())) {
                assertThat(removal.get()).isEqualTo(204);
                one.post("/api/chats/" + chat + "/messages/", alice.access(), Api.json(Map.of("text", "after")));
                assertThat(b.awaitClose(Duration.ofSeconds(5))).as("round %d (removal after %d µs)", round, delayMicros)
                        .isEqualTo(new WsClient.Closed(4403, "Access denied"));
                assertThat(b.drain()).as("round %d", round).noneMatch(frame ->
                        "after".equals(frame.path("data").path("text").asString()));
            }
        }
    }
}
