package io.chat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.Response;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/** Chats and participants over REST (PROTOCOL.md part 2); only participants see a chat. */
@ChatServerTest
class ChatApiTest {

    @LocalServerPort
    int port;

    @Test
    void createdChatIncludesTheCallerAndListsWithItsActivity() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        Response created = api.post("/api/chats/", alice.access(),
                Api.json(Map.of("name", "Team", "participant_ids", List.of(bob.id()))));
        assertThat(created.status()).isEqualTo(201);
        JsonNode chat = created.json();
        long id = chat.get("id").asLong();
        assertThat(chat.get("name").asString()).isEqualTo("Team");
        assertThat(chat.get("participants")).extracting(user -> user.get("id").asLong())
                .containsExactlyInAnyOrder(alice.id(), bob.id());
        assertThat(chat.get("last_message").isNull()).isTrue();
        assertThat(chat.get("unread_count").asLong()).isZero();
        assertThat(chat.get("created_at").asString()).endsWith("Z");

        api.post("/api/chats/" + id + "/messages/", alice.access(), Api.json(Map.of("text", "one")));
        api.post("/api/chats/" + id + "/messages/", alice.access(), Api.json(Map.of("text", "two")));
        JsonNode bobsView = find(api.get("/api/chats", bob.access()).json(), id);
        assertThat(bobsView.get("last_message").get("text").asString()).isEqualTo("two");
        assertThat(bobsView.get("unread_count").asLong()).isEqualTo(2);
        assertThat(find(api.get("/api/chats/", alice.access()).json(), id).get("unread_count").asLong()).isZero();

        try (WsClient b = WsClient.open(api.wsUrl(id), bob.access())) {
            b.sendJson(Map.of("type", "read_messages"));
            b.expectSilence(java.time.Duration.ofMillis(300));
        }
        assertThat(api.get("/api/chats/" + id + "/", bob.access()).json().get("unread_count").asLong()).isZero();
    }

    @Test
    void chatIsHiddenFromNonParticipantsAndUnknownChatsLookTheSame() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        TestUser mallory = api.newUser();
        long id = api.newChat(alice);
        Response hidden = api.get("/api/chats/" + id + "/", mallory.access());
        Response unknown = api.get("/api/chats/999999999/", mallory.access());
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(hidden.json().get("detail")).isEqualTo(unknown.json().get("detail"));
        assertThat(hidden.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/api/chats/" + id + "/messages/", mallory.access()).status()).isEqualTo(404);
        assertThat(api.post("/api/chats/" + id + "/messages/", mallory.access(), Api.json(Map.of("text", "hi")))
                .status()).isEqualTo(404);
        assertThat(api.post("/api/chats/" + id + "/participants/", mallory.access(),
                Api.json(Map.of("user_id", mallory.id()))).status()).isEqualTo(404);
        assertThat(api.get("/api/chats/", mallory.access()).json()).noneMatch(chat -> chat.get("id").asLong() == id);
    }

    @Test
    void badParticipantListsAreFieldErrors() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        for (String body : new String[] {"{\"participant_ids\": [999999999]}", "{\"participant_ids\": \"1\"}",
                "{\"participant_ids\": [\"x\"]}", "{\"name\": \"no list\"}", "{\"participant_ids\": [1.5]}"}) {
            Response refused = api.post("/api/chats/", alice.access(), body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("errors").has("participant_ids")).as(body + " " + refused.text()).isTrue();
        }
        assertThat(api.post("/api/chats/", alice.access(), "{\"participant_ids\": [], \"name\": 7}").status())
                .isEqualTo(400);
    }

    @Test
    void participantsCanBeAddedAndRemoved() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        long id = api.newChat(alice);
        Response added = api.post("/api/chats/" + id + "/participants/", alice.access(),
                Api.json(Map.of("user_id", bob.id())));
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().get("id").asLong()).isEqualTo(bob.id());
        assertThat(api.get("/api/chats/" + id + "/", bob.access()).status()).isEqualTo(200);
        assertThat(api.post("/api/chats/" + id + "/participants/", alice.access(),
                Api.json(Map.of("user_id", bob.id()))).status()).isEqualTo(409);
        Response unknown = api.post("/api/chats/" + id + "/participants/", alice.access(),
                Api.json(Map.of("user_id", 999_999_999)));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").has("user_id")).isTrue();
        assertThat(api.post("/api/chats/" + id + "/participants/", alice.access(), "{}").status()).isEqualTo(400);
        assertThat(api.post("/api/chats/" + id + "/participants/", alice.access(), "{\"user_id\": \"2\"}").status())
                .isEqualTo(400);

        assertThat(api.delete("/api/chats/" + id + "/participants/" + bob.id() + "/", alice.access()).status())
                .isEqualTo(204);
        assertThat(api.get("/api/chats/" + id + "/", bob.access()).status()).isEqualTo(404);
        assertThat(api.delete("/api/chats/" + id + "/participants/" + bob.id(), alice.access()).status())
                .isEqualTo(404);
    }

    private static JsonNode find(JsonNode chats, long id) {
        for (JsonNode chat : chats) {
            if (chat.get("id").asLong() == id) {
                return chat;
            }
        }
        throw new AssertionError("chat " + id + " not listed in " + chats);
    }
}
