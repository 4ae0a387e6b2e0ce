package io.chat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.Response;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/** Messages over REST: history pages, and sends, edits and deletes broadcast like socket frames. */
@ChatServerTest
@TestPropertySource(properties = "chat.limits.messages-per-minute=1000")
class MessageApiTest {

    @LocalServerPort
    int port;

    @Test
    void historyPagesInIdOrderBackwardsAndForwards() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        long chat = api.newChat(alice);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(api.post("/api/chats/" + chat + "/messages/", alice.access(), Api.json(Map.of("text", "m" + i)))
                    .json().get("id").asLong());
        }
        String path = "/api/chats/" + chat + "/messages/";
        JsonNode latest = api.get(path, alice.access()).json();
        assertThat(idsOf(latest)).isEqualTo(ids.subList(10, 60));
        assertThat(latest.get("has_more").asBoolean()).isTrue();

        JsonNode older = api.get(path + "?before_id=" + ids.get(10) + "&limit=20", alice.access()).json();
        assertThat(idsOf(older)).isEqualTo(ids.subList(0, 10));
        assertThat(older.get("has_more").asBoolean()).isFalse();

        JsonNode newer = api.get(path + "?after_id=" + ids.get(4) + "&limit=5", alice.access()).json();
        assertThat(idsOf(newer)).isEqualTo(ids.subList(5, 10));
        assertThat(newer.get("has_more").asBoolean()).isTrue();

        assertThat(idsOf(api.get(path + "?limit=500", alice.access()).json())).hasSize(60);
        assertThat(api.get("/api/chats/" + chat + "/messages?limit=3", alice.access()).json().get("results"))
                .hasSize(3);
        for (String bad : new String[] {"?limit=0", "?limit=-1", "?limit=abc", "?before_id=x", "?after_id=1.5"}) {
            Response refused = api.get(path + bad, alice.access());
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void restSendEditAndDeleteAreBroadcastLikeSocketFrames() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        long chat = api.newChat(alice, bob);
        try (WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            Response sent = api.post("/api/chats/" + chat + "/messages/", alice.access(),
                    Api.json(Map.of("text", "  via rest ")));
            assertThat(sent.status()).isEqualTo(201);
            assertThat(sent.json().get("text").asString()).isEqualTo("via rest");
            JsonNode frame = b.next();
            assertThat(frame.get("type").asString()).isEqualTo("message");
            assertThat(frame.get("data")).isEqualTo(sent.json());
            long id = sent.json().get("id").asLong();

            Response edited = api.patch("/api/chats/" + chat + "/messages/" + id + "/", alice.access(),
                    Api.json(Map.of("text", "changed")));
            assertThat(edited.status()).isEqualTo(200);
            assertThat(edited.json().get("is_edited").asBoolean()).isTrue();
            JsonNode updated = b.next();
            assertThat(updated.get("type").asString()).isEqualTo("message_updated");
            assertThat(updated.get("data")).isEqualTo(edited.json());

            assertThat(api.delete("/api/chats/" + chat + "/messages/" + id + "/", alice.access()).status())
                    .isEqualTo(204);
            JsonNode deleted = b.next();
            assertThat(deleted.get("type").asString()).isEqualTo("message_deleted");
            assertThat(deleted.get("data").get("is_deleted").asBoolean()).isTrue();
            assertThat(deleted.get("data").get("text").asString()).isEmpty();
        }
    }

    @Test
    void restChangesFollowTheSameRulesAsTheSocket() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        long chat = api.newChat(alice, bob);
        String messages = "/api/chats/" + chat + "/messages/";
        long id = api.post(messages, alice.access(), Api.json(Map.of("text", "mine"))).json().get("id").asLong();

        assertProblem(api.patch(messages + id + "/", bob.access(), Api.json(Map.of("text", "x"))), 403,
                "You can only change your own messages");
        assertProblem(api.delete(messages + id + "/", bob.access()), 403, "You can only change your own messages");
        assertProblem(api.patch(messages + "999999999/", alice.access(), Api.json(Map.of("text", "x"))), 404,
                "Message not found");
        assertProblem(api.patch(messages + id + "/", alice.access(), Api.json(Map.of("text", " "))), 400,
                "Message text cannot be empty");
        assertProblem(api.post(messages, alice.access(), "{}"), 400, "Message text cannot be empty");
        assertProblem(api.post(messages, alice.access(), "{\"text\": 5}"), 400, "Message text cannot be empty");
        assertProblem(api.post(messages, alice.access(), Api.json(Map.of("text", "x".repeat(1001)))), 400,
                "Message text cannot exceed 1000 characters");
        assertProblem(api.post(messages, alice.access(), "{\"text\": \"a\\u0000b\"}"), 400,
                "Message text contains invalid characters");
        assertProblem(api.post(messages, alice.access(), "{\"text\": \"hi\", \"client_id\": 5}"), 400,
                "Field client_id must be a string of 1 to 64 characters");
        assertProblem(api.post(messages, alice.access(), "not json"), 400, "Invalid JSON format");
        assertProblem(api.post(messages, alice.access(), "[\"text\"]"), 400,
                "Invalid JSON format: a JSON object is expected");
        api.delete(messages + id + "/", alice.access());
        assertProblem(api.delete(messages + id + "/", alice.access()), 404, "Message not found");
        assertThat(api.get(messages, alice.access()).json().get("results")).hasSize(1);
    }

    private static void assertProblem(Response response, int status, String detail) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).isEqualTo(detail);
    }

    private static List<Long> idsOf(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("results").forEach(message -> ids.add(message.get("id").asLong()));
        return ids;
    }
}
