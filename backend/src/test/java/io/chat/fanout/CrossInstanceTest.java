package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.TestUser;
import io.chat.support.TokenMinter;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * Two instances in relay mode behind no load balancer: a client on each, and every event of the
 * contract crossing between them through RabbitMQ, in both directions.
 */
class CrossInstanceTest {

    static final Duration QUIET = Duration.ofMillis(400);
    static Instances cluster;

    Api one;
    Api two;
    TestUser alice;
    TestUser bob;
    long chat;

    @BeforeAll
    static void startTwoInstances() {
        cluster = Instances.start(2);
    }

    @AfterAll
    static void stopInstances() {
        cluster.close();
    }

    @BeforeEach
    void aliceOnOneBobOnTwo() {
        one = cluster.api(0);
        two = cluster.api(1);
        alice = one.newUser();
        bob = one.newUser();
        chat = one.newChat(alice, bob);
    }

    @Test
    void messagesCrossInBothDirectionsAndSendersGetTheirOwnCopy() {
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "from one"));
            JsonNode fromOne = a.next();
            assertThat(b.next()).isEqualTo(fromOne);
            b.sendJson(Map.of("type", "message", "text", "from two"));
            JsonNode fromTwo = b.next();
            assertThat(a.next()).isEqualTo(fromTwo);
            assertThat(fromTwo.get("data").get("text").asString()).isEqualTo("from two");
            a.expectSilence(QUIET);
            b.expectSilence(QUIET);
        }
    }

    @Test
    void typingAndReadReceiptsReachTheOtherInstanceOnly() {
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "typing", "is_typing", true));
            assertThat(b.next().toString()).isEqualTo("{\"type\":\"typing\",\"user_id\":" + alice.id()
                    + ",\"username\":\"" + alice.username() + "\",\"is_typing\":true}");
            b.sendJson(Map.of("type", "read_messages"));
            JsonNode read = a.next();
            assertThat(read.get("type").asString()).isEqualTo("messages_read");
            assertThat(read.get("user_id").asLong()).isEqualTo(bob.id());
            a.expectSilence(QUIET);
            b.expectSilence(QUIET);
        }
    }

    @Test
    void typistLeavingOneInstanceStopsTypingOnTheOther() {
        try (WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
            a.sendJson(Map.of("type", "typing", "is_typing", true));
            assertThat(b.next().get("is_typing").asBoolean()).isTrue();
            a.close();
            JsonNode stopped = b.next();
            assertThat(stopped.get("is_typing").asBoolean()).isFalse();
            assertThat(stopped.get("user_id").asLong()).isEqualTo(alice.id());
        }
    }

    @Test
    void editsAndDeletesCrossWhetherMadeOverTheSocketOrRest() {
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "v1"));
            long id = a.next().get("data").get("id").asLong();
            b.next();
            a.sendJson(Map.of("type", "edit_message", "message_id", id, "text", "v2"));
            assertThat(b.next().get("type").asString()).isEqualTo("message_updated");
            a.next();
            // REST on instance two, socket client of the author on instance one
            assertThat(two.patch("/api/chats/" + chat + "/messages/" + id + "/", alice.access(),
                    Api.json(Map.of("text", "v3"))).status()).isEqualTo(200);
            assertThat(a.next().get("data").get("text").asString()).isEqualTo("v3");
            assertThat(b.next().get("data").get("text").asString()).isEqualTo("v3");
            assertThat(two.delete("/api/chats/" + chat + "/messages/" + id + "/", alice.access()).status())
                    .isEqualTo(204);
            assertThat(a.next().get("type").asString()).isEqualTo("message_deleted");
            assertThat(b.next().get("type").asString()).isEqualTo("message_deleted");
        }
    }

    @Test
    void otherChatsHearNothingOnEitherInstance() {
        TestUser carol = one.newUser();
        long otherChat = one.newChat(carol, alice);
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access());
                WsClient c1 = WsClient.open(two.wsUrl(otherChat), carol.access());
                WsClient a2 = WsClient.open(one.wsUrl(otherChat), alice.access())) {
            a.sendJson(Map.of("type", "message", "text", "only for chat"));
            a.next();
            b.next();
            c1.expectSilence(QUIET);
            a2.expectSilence(Duration.ofMillis(50));
        }
    }

    @Test
    void secondConnectionOnAnotherInstanceIsRefusedWith4409() {
        try (WsClient first = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient second = WsClient.connect(two.wsUrl(chat), alice.access())) {
            assertThat(second.awaitClose()).isEqualTo(new WsClient.Closed(4409, "Already connected to this chat"));
            first.sendJson(Map.of("type", "message", "text", "first still works"));
            assertThat(first.next().get("data").get("text").asString()).isEqualTo("first still works");
        }
    }

    @Test
    void rateLimitCountsSendsOnEveryInstance() {
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access())) {
            for (int i = 0; i < 5; i++) {
                a.sendJson(Map.of("type", "message", "text", "one " + i));
                a.next();
            }
            for (int i = 0; i < 5; i++) {
                assertThat(two.post("/api/chats/" + chat + "/messages/", alice.access(),
                        Api.json(Map.of("text", "two " + i))).status()).isEqualTo(201);
                a.next();
            }
            assertThat(two.post("/api/chats/" + chat + "/messages/", alice.access(),
                    Api.json(Map.of("text", "eleventh"))).status()).isEqualTo(429);
            a.sendJson(Map.of("type", "message", "text", "eleventh again"));
            assertThat(a.next().get("message").asString())
                    .isEqualTo("Rate limit exceeded: at most 10 messages per minute");
        }
    }

    @Test
    void removalOnOneInstanceClosesTheConnectionOnTheOther() {
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            assertThat(one.delete("/api/chats/" + chat + "/participants/" + bob.id() + "/", alice.access()).status())
                    .isEqualTo(204);
            assertThat(b.awaitClose()).isEqualTo(new WsClient.Closed(4403, "Access denied"));
            a.sendJson(Map.of("type", "message", "text", "bob is gone"));
            assertThat(a.next().get("data").get("text").asString()).isEqualTo("bob is gone");
        }
    }

    @Test
    void expiringTokenClosesTheConnectionOnWhicheverInstanceHoldsIt() {
        try (WsClient b = WsClient.open(two.wsUrl(chat), TokenMinter.access(bob.id(), 2))) {
            assertThat(b.awaitClose(Duration.ofSeconds(8))).isEqualTo(new WsClient.Closed(4401, "Token expired"));
        }
    }

    @Test
    void reconnectingToTheOtherInstanceRecoversWhatWasMissed() {
        List<Long> sent = new ArrayList<>();
        long lastSeen;
        try (WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            b.sendJson(Map.of("type", "message", "text", "seen"));
            lastSeen = b.next().get("data").get("id").asLong();
        }
        for (int i = 0; i < 3; i++) {
            sent.add(one.post("/api/chats/" + chat + "/messages/", alice.access(),
                    Api.json(Map.of("text", "missed " + i))).json().get("id").asLong());
        }
        try (WsClient b = WsClient.connect(one.wsUrl(chat) + "?last_message_id=" + lastSeen, bob.access())) {
            assertThat(b.next().get("type").asString()).isEqualTo("connection_established");
            for (long id : sent) {
                assertThat(b.next().get("data").get("id").asLong()).isEqualTo(id);
            }
            b.expectSilence(QUIET);
        }
    }
}
