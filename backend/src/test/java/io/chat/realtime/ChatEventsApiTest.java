package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.EventStream;
import io.chat.support.Response;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/chats/{id}/events/?after_seq=&limit=}: the event sequence over REST, as the socket shows it. */
@ChatServerTest
@TestPropertySource(properties = "chat.limits.messages-per-minute=100000")
class ChatEventsApiTest {

    @LocalServerPort
    int port;

    Api api;
    TestUser alice;
    TestUser bob;
    long chat;
    String path;

    @BeforeEach
    void chat() {
        api = new Api(port);
        alice = api.newUser();
        bob = api.newUser();
        chat = api.newChat(alice, bob);
        path = "/api/chats/" + chat + "/events/";
    }

    @Test
    void eachEventIsListedExactlyAsTheSocketSentIt() {
        List<JsonNode> live = new ArrayList<>();
        long doomed;
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "hello"));
            live.add(a.next());
            a.sendJson(Map.of("type", "message", "text", "to be deleted"));
            live.add(a.next());
            doomed = live.get(1).get("data").get("id").asLong();
            a.sendJson(Map.of("type", "delete_message", "message_id", doomed));
            live.add(a.next());
            b.sendJson(Map.of("type", "read_messages"));
            live.add(a.next());
        }
        // the deleted message's own event shows it as it is now: deleted
        JsonNode deletedNow = live.get(2).get("data");

        Response page = api.get(path, bob.access());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().propertyNames()).containsExactly("results", "has_more");
        assertThat(page.json().get("has_more").asBoolean()).isFalse();
        List<JsonNode> listed = new ArrayList<>();
        page.json().get("results").forEach(listed::add);
        assertThat(EventStream.numbers(listed)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(listed.get(0)).isEqualTo(live.get(0));
        assertThat(listed.get(1).get("type").asString()).isEqualTo("message");
        assertThat(listed.get(1).get("data")).isEqualTo(deletedNow);
        assertThat(listed.get(2)).isEqualTo(live.get(2));
        assertThat(listed.get(3)).isEqualTo(live.get(3));
        assertThat(listed.get(3).toString()).isEqualTo("{\"type\":\"messages_read\",\"seq\":4,\"user_id\":" + bob.id()
                + ",\"username\":\"" + bob.username() + "\",\"last_read_message_id\":" + doomed + "}");
    }

    @Test
    void pagesFollowAfterSeqAndLimitAndSayWhetherMoreFollow() {
        for (int i = 0; i < 120; i++) {
            api.post("/api/chats/" + chat + "/messages/", alice.access(), Api.json(Map.of("text", "m" + i)));
        }
        JsonNode first = api.get(path, alice.access()).json();
        assertThat(first.get("results")).as("100 by default").hasSize(100);
        assertThat(first.get("has_more").asBoolean()).isTrue();
        JsonNode rest = api.get(path + "?after_seq=100", alice.access()).json();
        assertThat(EventStream.numbers(list(rest))).isEqualTo(EventStream.range(101, 120));
        assertThat(rest.get("has_more").asBoolean()).isFalse();
        JsonNode small = api.get("/api/chats/" + chat + "/events?after_seq=5&limit=3", alice.access()).json();
        assertThat(EventStream.numbers(list(small))).containsExactly(6L, 7L, 8L);
        assertThat(small.get("has_more").asBoolean()).isTrue();
        assertThat(api.get(path + "?limit=5000", alice.access()).json().get("results")).as("at most 1000")
                .hasSize(120);
        assertThat(api.get(path + "?after_seq=120", alice.access()).json().get("results")).isEmpty();
        assertThat(api.get(path + "?after_seq=99999", alice.access()).json().get("has_more").asBoolean()).isFalse();
    }

    @Test
    void badParametersAreAnsweredWithProblems() {
        for (String bad : new String[] {"?limit=0", "?limit=-1", "?limit=abc", "?after_seq=-1", "?after_seq=x",
                "?after_seq=1.5"}) {
            Response refused = api.get(path + bad, alice.access());
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        Response negative = api.get(path + "?after_seq=-1", alice.access());
        assertThat(negative.json().get("errors").get("after_seq").get(0).asString())
                .isEqualTo("Ensure this value is greater than or equal to 0.");
    }

    @Test
    void onlyParticipantsSeeTheEvents() {
        TestUser carol = api.newUser();
        Response outsider = api.get(path, carol.access());
        assertThat(outsider.status()).isEqualTo(404);
        assertThat(outsider.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/api/chats/999999999/events/", alice.access()).status()).isEqualTo(404);
        Response anonymous = api.get(path, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
    }

    private static List<JsonNode> list(JsonNode page) {
        List<JsonNode> events = new ArrayList<>();
        page.get("results").forEach(events::add);
        return events;
    }
}
