package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.Response;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/** The per-user sliding-window rate limit and {@code client_id} idempotency, over the socket and REST. */
@ChatServerTest
class RateLimitAndIdempotencyTest {

    static final String RATE_LIMITED = "{\"type\":\"error\",\"message\":\"Rate limit exceeded: at most 10 messages per minute\"}";
    static final Duration QUIET = Duration.ofMillis(250);

    @LocalServerPort
    int port;

    Api api;
    TestUser alice;
    TestUser bob;
    long chatA;
    long chatB;

    @BeforeEach
    void chats() {
        api = new Api(port);
        alice = api.newUser();
        bob = api.newUser();
        chatA = api.newChat(alice, bob);
        chatB = api.newChat(alice);
    }

    private int stored(long chat) {
        return api.get("/api/chats/" + chat + "/messages/?limit=200", alice.access()).json().get("results").size();
    }

    @Test
    void eleventhMessageWithinAMinuteIsRefusedAcrossChatsAndRest() {
        try (WsClient a = WsClient.open(api.wsUrl(chatA), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chatA), bob.access())) {
            for (int i = 0; i < 4; i++) {
                a.sendJson(Map.of("type", "message", "text", "socket " + i));
                assertThat(a.next().get("type").asString()).isEqualTo("message");
                b.next();
            }
            for (int i = 0; i < 5; i++) {
                assertThat(api.post("/api/chats/" + chatB + "/messages/", alice.access(),
                        Api.json(Map.of("text", "rest " + i))).status()).isEqualTo(201);
            }
            // rejected sends do not count
            a.sendJson(Map.of("type", "message", "text", ""));
            assertThat(a.next().get("message").asString()).isEqualTo("Message text cannot be empty");
            a.sendJson(Map.of("type", "message", "text", "tenth", "client_id", "k-10"));
            long tenth = a.next().get("data").get("id").asLong();
            b.next();

            a.sendJson(Map.of("type", "message", "text", "eleventh"));
            assertThat(a.next().toString()).isEqualTo(RATE_LIMITED);
            b.expectSilence(QUIET);
            var rest = api.post("/api/chats/" + chatB + "/messages/", alice.access(), Api.json(Map.of("text", "12th")));
            assertThat(rest.status()).isEqualTo(429);
            assertThat(rest.contentType()).startsWith("application/problem+json");
            assertThat(rest.json().get("detail").asString())
                    .isEqualTo("Rate limit exceeded: at most 10 messages per minute");

            // an idempotent resend, edits and deletes still work and do not count
            a.sendJson(Map.of("type", "message", "text", "tenth", "client_id", "k-10"));
            assertThat(a.next().get("data").get("id").asLong()).isEqualTo(tenth);
            a.sendJson(Map.of("type", "edit_message", "message_id", tenth, "text", "edited"));
            JsonNode edited = a.next();
            assertThat(edited.get("type").asString()).isEqualTo("message_updated");
            // the refused send and the resend took no number: 4 messages, the tenth, then this edit
            assertThat(edited.get("seq").asLong()).isEqualTo(6);
            a.sendJson(Map.of("type", "delete_message", "message_id", tenth));
            assertThat(a.next().get("type").asString()).isEqualTo("message_deleted");
            // another user is not limited by alice's sends
            assertThat(b.nextOfType("message_updated").get("data").get("id").asLong()).isEqualTo(tenth);
            assertThat(b.nextOfType("message_deleted").get("data").get("id").asLong()).isEqualTo(tenth);
            b.sendJson(Map.of("type", "message", "text", "bob is free"));
            assertThat(b.nextOfType("message").get("data").get("text").asString()).isEqualTo("bob is free");
        }
        assertThat(stored(chatA) + stored(chatB)).isEqualTo(11);
    }

    @Test
    void resendWithSameClientIdIsAnsweredWithTheOriginalToTheSenderAlone() {
        try (WsClient a = WsClient.open(api.wsUrl(chatA), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chatA), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "once", "client_id", "abc-1"));
            JsonNode original = a.next();
            assertThat(b.next()).isEqualTo(original);
            assertThat(original.get("data").get("client_id").asString()).isEqualTo("abc-1");

            a.sendJson(Map.of("type", "message", "text", "once", "client_id", "abc-1"));
            JsonNode answer = a.next();
            assertThat(answer.get("data")).isEqualTo(original.get("data"));
            assertThat(answer.propertyNames()).as("a reply, not an event of the chat: no seq")
                    .containsExactly("type", "data");
            assertThat(answer.get("type").asString()).isEqualTo("message");
            b.expectSilence(QUIET);

            var rest = api.post("/api/chats/" + chatA + "/messages/", alice.access(),
                    Api.json(Map.of("text", "once", "client_id", "abc-1")));
            assertThat(rest.status()).isEqualTo(200);
            assertThat(rest.json().get("id").asLong()).isEqualTo(original.get("data").get("id").asLong());
            b.expectSilence(QUIET);

            // the same key from another user, or in another chat, is another message
            b.sendJson(Map.of("type", "message", "text", "bob's", "client_id", "abc-1"));
            assertThat(b.next().get("data").get("id").asLong()).isNotEqualTo(original.get("data").get("id").asLong());
            a.next();
            assertThat(api.post("/api/chats/" + chatB + "/messages/", alice.access(),
                    Api.json(Map.of("text", "once", "client_id", "abc-1"))).status()).isEqualTo(201);
        }
        assertThat(stored(chatA)).isEqualTo(2);
        assertThat(stored(chatB)).isEqualTo(1);
    }

    @Test
    void concurrentSendsOfOneUserStoreExactlyTheLimitWhateverBatchTheyShare() throws Exception {
        List<Integer> statuses = concurrently(20, i -> api.post("/api/chats/" + chatA + "/messages/", alice.access(),
                Api.json(Map.of("text", "burst " + i))).status());
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(10);
        assertThat(statuses).filteredOn(status -> status == 429).hasSize(10);
        assertThat(stored(chatA)).isEqualTo(10);
    }

    @Test
    void concurrentResendsOfOneClientIdStoreOneMessageAndAllGetIt() throws Exception {
        List<Response> answers = concurrently(10, i -> api.post("/api/chats/" + chatA + "/messages/", alice.access(),
                Api.json(Map.of("text", "once", "client_id", "same-key"))));
        assertThat(answers).filteredOn(answer -> answer.status() == 201).hasSize(1);
        assertThat(answers).filteredOn(answer -> answer.status() == 200).hasSize(9);
        assertThat(answers.stream().map(answer -> answer.json().get("id").asLong()).distinct()).hasSize(1);
        assertThat(stored(chatA)).isEqualTo(1);
    }

    private static <T> List<T> concurrently(int count, java.util.function.IntFunction<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(n);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
