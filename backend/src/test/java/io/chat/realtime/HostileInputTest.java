package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.RawHttp;
import io.chat.support.Response;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * Input a careless or hostile client may send, on every path: none of it breaks a chat for the
 * others, none of it yields a 500, an HTML page or a stack trace in the log.
 */
@ChatServerTest
@ExtendWith(OutputCaptureExtension.class)
class HostileInputTest {

    /** The JSON escape of a lone high surrogate: valid JSON, not valid Unicode. */
    static final String LONE_SURROGATE = "\\ud800";
    static final Duration QUIET = Duration.ofMillis(300);

    @LocalServerPort
    int port;

    Api api;
    TestUser alice;
    TestUser bob;
    long chat;

    @BeforeEach
    void chat() {
        api = new Api(port);
        alice = api.newUser();
        bob = api.newUser();
        chat = api.newChat(alice, bob);
    }

    @Test
    void aLoneSurrogateInAMessageIsRefusedEverywhereAndTheChatGoesOnForEveryone(CapturedOutput output) {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            a.send("{\"type\": \"message\", \"text\": \"hi " + LONE_SURROGATE + " there\"}");
            assertThat(a.next().toString())
                    .isEqualTo("{\"type\":\"error\",\"message\":\"Message text contains invalid characters\"}");
            a.send("{\"type\": \"message\", \"text\": \"" + "\\udc00" + "\"}");
            assertThat(a.next().get("message").asString()).isEqualTo("Message text contains invalid characters");

            Response rest = api.post("/api/chats/" + chat + "/messages/", alice.access(),
                    "{\"text\": \"hi " + LONE_SURROGATE + "\"}");
            assertThat(rest.status()).isEqualTo(400);
            assertThat(rest.contentType()).startsWith("application/problem+json");
            assertThat(rest.json().get("errors").get("text").get(0).asString())
                    .isEqualTo("Message text contains invalid characters");

            a.sendJson(Map.of("type", "message", "text", "fine"));
            long id = a.next().get("data").get("id").asLong();
            assertThat(b.next().get("data").get("text").asString()).isEqualTo("fine");
            a.send("{\"type\": \"edit_message\", \"message_id\": " + id + ", \"text\": \"x" + LONE_SURROGATE + "\"}");
            assertThat(a.next().get("message").asString()).isEqualTo("Message text contains invalid characters");
            assertThat(api.patch("/api/chats/" + chat + "/messages/" + id + "/", alice.access(),
                    "{\"text\": \"" + LONE_SURROGATE + "\"}").status()).isEqualTo(400);

            // nothing stored, nothing broadcast: bob's next frame is the next good message
            a.sendJson(Map.of("type", "message", "text", "still working"));
            a.next();
            assertThat(b.next().get("data").get("text").asString()).isEqualTo("still working");
            b.expectSilence(QUIET);
            assertThat(api.messageIds(chat, alice)).hasSize(2);
        }
        assertThat(output.getOut()).doesNotContain("Encoding error").doesNotContain("Exception");
    }

    @Test
    void anEchoedUnknownTypeHasItsUnsendableCharactersReplacedAndTheSocketStaysOpen() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access())) {
            a.send("{\"type\": \"bad" + LONE_SURROGATE + "type\"}");
            assertThat(a.next().get("message").asString()).isEqualTo("Unknown message type: bad\uFFFDtype");
            a.sendJson(Map.of("type", "message", "text", "open"));
            assertThat(a.next().get("data").get("text").asString()).isEqualTo("open");
        }
    }

    @Test
    void clientIdsWithCharactersThatCannotBeStoredAreRefused() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access())) {
            for (String clientId : new String[] {LONE_SURROGATE, "a\\u0000b"}) {
                a.send("{\"type\": \"message\", \"text\": \"hi\", \"client_id\": \"" + clientId + "\"}");
                assertThat(a.next().get("message").asString())
                        .isEqualTo("Field client_id must be a string of 1 to 64 characters");
                Response rest = api.post("/api/chats/" + chat + "/messages/", alice.access(),
                        "{\"text\": \"hi\", \"client_id\": \"" + clientId + "\"}");
                assertThat(rest.status()).isEqualTo(400);
                assertThat(rest.json().get("errors").has("client_id")).isTrue();
            }
        }
    }

    @Test
    void restTextFieldsPasswordsAndQueryParametersGetFieldErrorsNever500() {
        String name = Api.uniqueName("hostile");
        assertFieldError(api.post("/api/auth/register/", null, "{\"username\": \"" + name
                + "\", \"password\": \"" + "é".repeat(40) + "\"}"), "password");
        assertFieldError(api.post("/api/auth/register/", null, "{\"username\": \"" + name
                + "\", \"password\": \"secret-pass\", \"first_name\": \"" + LONE_SURROGATE + "\"}"), "first_name");
        assertFieldError(api.post("/api/auth/register/", null, "{\"username\": \"" + name
                + "\", \"password\": \"secret-pass\", \"last_name\": \"a\\u0000\"}"), "last_name");
        assertFieldError(api.post("/api/auth/register/", null, "{\"username\": \"" + LONE_SURROGATE
                + "\", \"password\": \"secret-pass\"}"), "username");
        assertFieldError(api.post("/api/token/", null, "{\"username\": \"" + alice.username()
                + "\", \"password\": \"" + "x".repeat(73) + "\"}"), "password");
        assertFieldError(api.post("/api/chats/", alice.access(), "{\"name\": \"" + LONE_SURROGATE
                + "\", \"participant_ids\": []}"), "name");
        assertFieldError(api.get("/api/users/?search=%00", alice.access()), "search");
        // exactly 72 bytes is bcrypt's limit and fine
        Response longest = api.post("/api/auth/register/", null, "{\"username\": \"" + name
                + "\", \"password\": \"" + "é".repeat(36) + "\"}");
        assertThat(longest.status()).isEqualTo(201);
        assertThat(api.post("/api/token/", null, "{\"username\": \"" + name + "\", \"password\": \""
                + "é".repeat(36) + "\"}").status()).isEqualTo(200);
    }

    @Test
    void forbiddenCharactersInThePathAreAProblemDocument() throws IOException {
        for (String path : new String[] {"/api/chats/%00/", "/api/chats;jsessionid=1/", "/api/chats/1%2F2/"}) {
            RawHttp.Response response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + alice.access() + "\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.head()).as(path).containsIgnoringCase("Content-Type: application/problem+json");
            assertThat(response.body()).as(path).contains("\"status\":400").doesNotContain("<html");
        }
    }

    @Test
    void anOversizedTokenIsRefusedAsATokenOnRestAndOnTheSocket() {
        String huge = "x".repeat(100 * 1024);
        Response rest = api.get("/api/users/me/", huge);
        assertThat(rest.status()).isEqualTo(401);
        assertThat(rest.contentType()).startsWith("application/problem+json");
        try (WsClient socket = WsClient.connect(api.wsUrl(chat), Map.of("Authorization", "Bearer " + huge))) {
            assertThat(socket.awaitClose()).isEqualTo(new WsClient.Closed(4401, "Invalid token"));
        }
    }

    @Test
    void requestHeadersBeyondEvenThatAreAProblemDocumentNotHtml() throws IOException {
        RawHttp.Response response = raw("GET /api/users/me/ HTTP/1.1\r\nHost: localhost\r\nX-Padding: "
                + "x".repeat(200 * 1024) + "\r\nConnection: close\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.head()).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(response.body()).doesNotContain("<html");
    }

    @Test
    void compressionIsDeclinedByDefaultAndOddOffersNeverFailTheUpgrade() throws IOException {
        for (String offer : new String[] {"permessage-deflate; client_max_window_bits",
                "permessage-deflate; server_max_window_bits=1", "permessage-deflate; server_max_window_bits=99",
                "permessage-deflate; bogus=1, x-webkit-deflate-frame", "permessage-deflate;;;"}) {
            RawHttp.Response response = raw(RawHttp.upgrade(chat, alice.access(), offer));
            assertThat(response.status()).as(offer).isEqualTo(101);
            assertThat(response.head()).as(offer).doesNotContainIgnoringCase("Sec-WebSocket-Extensions");
        }
    }

    private static void assertFieldError(Response response, String field) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode errors = response.json().get("errors");
        assertThat(errors).as(response.text()).isNotNull();
        assertThat(errors.has(field)).as(response.text()).isTrue();
    }

    private RawHttp.Response raw(String request) throws IOException {
        return RawHttp.send(port, request);
    }
}
