package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/** The opening outcomes of PROTOCOL.md part 1, over a real socket. */
@ChatServerTest
class ConnectionOpeningTest {

    @LocalServerPort
    int port;

    @Test
    void participantWithQueryTokenGetsConnectionEstablishedFirst() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        long chat = api.newChat(alice);
        try (WsClient client = WsClient.connect(api.wsUrl(chat), alice.access())) {
            JsonNode greeting = client.next();
            assertThat(greeting.toString()).isEqualTo(
                    "{\"type\":\"connection_established\",\"message\":\"Successfully connected to chat\",\"chat_id\":"
                            + chat + ",\"seq\":0}");
        }
    }

    @Test
    void greetingCarriesTheChatsLatestEventNumber() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        long chat = api.newChat(alice);
        for (int i = 0; i < 3; i++) {
            api.post("/api/chats/" + chat + "/messages/", alice.access(), Api.json(java.util.Map.of("text", "m" + i)));
        }
        try (WsClient client = WsClient.connect(api.wsUrl(chat), alice.access())) {
            assertThat(client.next().toString()).isEqualTo(
                    "{\"type\":\"connection_established\",\"message\":\"Successfully connected to chat\",\"chat_id\":"
                            + chat + ",\"seq\":3}");
        }
    }

    @Test
    void participantWithAuthorizationHeaderIsAccepted() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        long chat = api.newChat(alice);
        try (WsClient client = WsClient.connectWithHeader(api.wsUrl(chat), alice.access())) {
            assertThat(client.next().get("type").asString()).isEqualTo("connection_established");
        }
    }

    @Test
    void garbageTokenIsClosedWith4401AndNoFrame() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        long chat = api.newChat(alice);
        try (WsClient client = WsClient.connect(api.wsUrl(chat), "not-a-token")) {
            assertThat(client.awaitClose()).isEqualTo(new WsClient.Closed(4401, "Invalid token"));
            assertThat(client.drain()).isEmpty();
        }
    }

    @Test
    void nonParticipantIsClosedWith4403AndNoFrame() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        TestUser mallory = api.newUser();
        long chat = api.newChat(alice);
        try (WsClient client = WsClient.connect(api.wsUrl(chat), mallory.access())) {
            assertThat(client.awaitClose()).isEqualTo(new WsClient.Closed(4403, "Access denied"));
            assertThat(client.drain()).isEmpty();
        }
    }

    @Test
    void secondConnectionOfSameUserIsClosedWith4409AndFirstIsUntouched() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        long chat = api.newChat(alice);
        try (WsClient first = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient second = WsClient.connect(api.wsUrl(chat), alice.access())) {
            assertThat(second.awaitClose()).isEqualTo(new WsClient.Closed(4409, "Already connected to this chat"));
            assertThat(second.drain()).isEmpty();
            first.sendJson(java.util.Map.of("type", "message", "text", "still here"));
            assertThat(first.next().get("data").get("text").asString()).isEqualTo("still here");
            first.expectSilence(Duration.ofMillis(200));
        }
    }
}
