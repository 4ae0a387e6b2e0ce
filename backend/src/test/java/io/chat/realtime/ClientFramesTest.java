package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/** Each client frame of PROTOCOL.md part 1 reaches exactly the recipients the contract names. */
@ChatServerTest
class ClientFramesTest {

    static final Duration QUIET = Duration.ofMillis(300);

    @LocalServerPort
    int port;

    Api api;
    TestUser alice;
    TestUser bob;
    TestUser carol;
    long chat;
    long otherChat;

    @BeforeEach
    void twoChats() {
        api = new Api(port);
        alice = api.newUser();
        bob = api.newUser();
        carol = api.newUser();
        chat = api.newChat(alice, bob);
        otherChat = api.newChat(carol, alice);
    }

    @Test
    void messageGoesToEveryParticipantSenderIncludedAndNotToOtherChats() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access());
                WsClient c = WsClient.open(api.wsUrl(otherChat), carol.access())) {
            a.send("{\"type\": \"message\", \"text\": \"  Hello, Bob!  \"}");
            JsonNode own = a.next();
            JsonNode received = b.next();
            assertThat(received).isEqualTo(own);
            assertThat(own.get("type").asString()).isEqualTo("message");
            assertThat(own.get("seq").asLong()).isEqualTo(1);
            assertThat(own.propertyNames()).containsExactly("type", "seq", "data");
            JsonNode data = own.get("data");
            assertThat(data.get("id").asLong()).isPositive();
            assertThat(data.get("text").asString()).isEqualTo("Hello, Bob!");
            assertThat(data.get("sender").toString()).isEqualTo("{\"id\":" + alice.id() + ",\"username\":\""
                    + alice.username() + "\",\"first_name\":\"First " + alice.username() + "\",\"last_name\":\"Last\"}");
            assertThat(data.get("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            assertThat(data.get("is_edited").asBoolean()).isFalse();
            assertThat(data.get("is_deleted").asBoolean()).isFalse();
            assertThat(data.get("chat_id").asLong()).isEqualTo(chat);
            c.expectSilence(QUIET);
            JsonNode history = api.get("/api/chats/" + chat + "/messages/", bob.access()).json().get("results");
            assertThat(history).hasSize(1);
            assertThat(history.get(0)).isEqualTo(data);
        }
    }

    @Test
    void typingGoesToTheOthersOnly() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "typing", "is_typing", true));
            assertThat(b.next().toString()).isEqualTo("{\"type\":\"typing\",\"user_id\":" + alice.id()
                    + ",\"username\":\"" + alice.username() + "\",\"is_typing\":true}");
            a.sendJson(Map.of("type", "typing", "is_typing", false));
            assertThat(b.next().get("is_typing").asBoolean()).isFalse();
            a.expectSilence(QUIET);
        }
    }

    @Test
    void typistWhoDisconnectsWhileTypingStopsTypingForTheOthers() {
        try (WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
            a.sendJson(Map.of("type", "typing", "is_typing", true));
            assertThat(b.next().get("is_typing").asBoolean()).isTrue();
            a.close();
            JsonNode stopped = b.next();
            assertThat(stopped.toString()).isEqualTo("{\"type\":\"typing\",\"user_id\":" + alice.id()
                    + ",\"username\":\"" + alice.username() + "\",\"is_typing\":false}");
        }
    }

    @Test
    void userWhoWasNotTypingLeavesSilently() {
        try (WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
            a.sendJson(Map.of("type", "typing", "is_typing", true));
            b.next();
            a.sendJson(Map.of("type", "typing", "is_typing", false));
            b.next();
            a.close();
            b.expectSilence(QUIET);
        }
    }

    @Test
    void readMessagesTellsTheOthersAndClearsTheReadersUnreadCount() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "one"));
            a.sendJson(Map.of("type", "message", "text", "two"));
            long lastId = a.next().get("data").get("id").asLong();
            lastId = Math.max(lastId, a.next().get("data").get("id").asLong());
            b.next();
            b.next();
            assertThat(unreadOf(bob)).isEqualTo(2);
            b.sendJson(Map.of("type", "read_messages"));
            JsonNode read = a.next();
            assertThat(read.toString()).isEqualTo("{\"type\":\"messages_read\",\"seq\":3,\"user_id\":" + bob.id()
                    + ",\"username\":\"" + bob.username() + "\",\"last_read_message_id\":" + lastId + "}");
            b.expectSilence(QUIET);
            assertThat(unreadOf(bob)).isZero();
            assertThat(unreadOf(alice)).isZero();
        }
    }

    @Test
    void editAndDeleteOfOwnMessageAreBroadcastToAll() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "draft"));
            long id = a.next().get("data").get("id").asLong();
            b.next();

            a.sendJson(Map.of("type", "edit_message", "message_id", id, "text", " final "));
            JsonNode updated = b.next();
            assertThat(a.next()).isEqualTo(updated);
            assertThat(updated.get("type").asString()).isEqualTo("message_updated");
            assertThat(updated.get("data").get("id").asLong()).isEqualTo(id);
            assertThat(updated.get("data").get("text").asString()).isEqualTo("final");
            assertThat(updated.get("data").get("is_edited").asBoolean()).isTrue();

            a.sendJson(Map.of("type", "delete_message", "message_id", id));
            JsonNode deleted = b.next();
            assertThat(a.next()).isEqualTo(deleted);
            assertThat(deleted.get("type").asString()).isEqualTo("message_deleted");
            assertThat(deleted.get("data").get("text").asString()).isEmpty();
            assertThat(deleted.get("data").get("is_deleted").asBoolean()).isTrue();

            JsonNode stored = api.get("/api/chats/" + chat + "/messages/", bob.access()).json().get("results").get(0);
            assertThat(stored.get("is_deleted").asBoolean()).isTrue();
            assertThat(stored.get("text").asString()).isEmpty();
        }
    }

    @Test
    void editOrDeleteOfSomeoneElsesMessageIsRefused() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "mine"));
            long id = a.next().get("data").get("id").asLong();
            b.next();
            b.sendJson(Map.of("type", "edit_message", "message_id", id, "text", "hijacked"));
            assertThat(b.next().toString())
                    .isEqualTo("{\"type\":\"error\",\"message\":\"You can only change your own messages\"}");
            b.sendJson(Map.of("type", "delete_message", "message_id", id));
            assertThat(b.next().get("message").asString()).isEqualTo("You can only change your own messages");
            a.expectSilence(QUIET);
            assertThat(api.get("/api/chats/" + chat + "/messages/", bob.access()).json().get("results").get(0)
                    .get("text").asString()).isEqualTo("mine");
        }
    }

    @Test
    void unknownForeignDeletedOrMalformedMessageIdsAreNotFound() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient c = WsClient.open(api.wsUrl(otherChat), carol.access())) {
            c.sendJson(Map.of("type", "message", "text", "elsewhere"));
            long foreign = c.next().get("data").get("id").asLong();
            a.sendJson(Map.of("type", "message", "text", "soon gone"));
            long deleted = a.next().get("data").get("id").asLong();
            a.sendJson(Map.of("type", "delete_message", "message_id", deleted));
            a.next();
            String[] frames = {
                "{\"type\":\"edit_message\",\"message_id\":999999999,\"text\":\"x\"}",
                "{\"type\":\"edit_message\",\"message_id\":" + foreign + ",\"text\":\"x\"}",
                "{\"type\":\"edit_message\",\"message_id\":" + deleted + ",\"text\":\"x\"}",
                "{\"type\":\"delete_message\",\"message_id\":" + deleted + "}",
                "{\"type\":\"delete_message\"}",
                "{\"type\":\"delete_message\",\"message_id\":0}",
                "{\"type\":\"delete_message\",\"message_id\":-5}",
                "{\"type\":\"delete_message\",\"message_id\":\"" + deleted + "\"}",
                "{\"type\":\"delete_message\",\"message_id\":1.5}",
                "{\"type\":\"delete_message\",\"message_id\":null}",
                "{\"type\":\"edit_message\",\"text\":\"x\"}",
            };
            for (String frame : frames) {
                a.send(frame);
                assertThat(a.next().toString()).as(frame)
                        .isEqualTo("{\"type\":\"error\",\"message\":\"Message not found\"}");
            }
            c.expectSilence(QUIET);
        }
    }

    private long unreadOf(TestUser user) {
        for (JsonNode listed : api.get("/api/chats/", user.access()).json()) {
            if (listed.get("id").asLong() == chat) {
                return listed.get("unread_count").asLong();
            }
        }
        throw new AssertionError("chat not listed");
    }
}
