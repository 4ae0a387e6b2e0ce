package io.chat.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.RawHttp;
import io.chat.support.TestUser;
import tools.jackson.databind.JsonNode;

/**
 * With origins configured, a page of such an origin may call the REST API and open the socket;
 * a page of any other origin is refused with a problem document, before authentication.
 */
@ChatServerTest
@TestPropertySource(properties = {"chat.cors.allowed-origins=https://app.example.com",
        "chat.websocket.allowed-origins=https://app.example.com"})
class CrossOriginTest {

    static final String APP = "https://app.example.com";
    static final String OTHER = "https://evil.example.net";

    @LocalServerPort
    int port;

    TestUser alice;
    long chat;

    @BeforeEach
    void user() {
        Api api = new Api(port);
        alice = api.newUser();
        chat = api.newChat(alice);
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutAToken() throws IOException {
        RawHttp.Response preflight = RawHttp.send(port, preflight("/api/chats/" + chat + "/messages/", APP, "POST"));
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(header(preflight, "Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(header(preflight, "Access-Control-Allow-Methods")).contains("POST").contains("PATCH")
                .contains("DELETE");
        assertThat(header(preflight, "Access-Control-Allow-Headers").toLowerCase())
                .contains("authorization").contains("content-type");
        assertThat(header(preflight, "Access-Control-Max-Age")).isEqualTo("3600");
        assertThat(header(preflight, "Access-Control-Allow-Credentials")).isNull();
    }

    @Test
    void aPreflightFromAnotherOriginIsRefusedAsAProblem() throws IOException {
        RawHttp.Response preflight = RawHttp.send(port, preflight("/api/chats/", OTHER, "GET"));
        assertThat(preflight.status()).isEqualTo(403);
        assertThat(header(preflight, "Access-Control-Allow-Origin")).isNull();
        assertProblem(preflight, 403);

        RawHttp.Response wrongMethod = RawHttp.send(port, preflight("/api/chats/", APP, "PUT"));
        assertThat(wrongMethod.status()).isEqualTo(403);
        assertProblem(wrongMethod, 403);
    }

    @Test
    void aRequestFromAnAllowedOriginCarriesTheOriginAndOtherOriginsAreRefused() throws IOException {
        RawHttp.Response allowed = RawHttp.send(port, get("/api/chats/" + chat + "/", APP, alice.access()));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(header(allowed, "Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(allowed.body()).contains("\"id\":" + chat);

        RawHttp.Response noToken = RawHttp.send(port, get("/api/chats/", APP, null));
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(header(noToken, "Access-Control-Allow-Origin")).as("the page can read why").isEqualTo(APP);
        assertProblem(noToken, 401);

        RawHttp.Response refused = RawHttp.send(port, get("/api/chats/" + chat + "/", OTHER, alice.access()));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(header(refused, "Access-Control-Allow-Origin")).isNull();
        assertProblem(refused, 403);

        RawHttp.Response sameOrigin = RawHttp.send(port, get("/api/chats/" + chat + "/", "http://localhost",
                alice.access()));
        assertThat(sameOrigin.status()).isEqualTo(200);
    }

    @Test
    void aSocketFromAnotherOriginIsRefusedWhenOriginsAreRestricted() throws IOException {
        RawHttp.Response refused = RawHttp.send(port, upgrade(chat, alice.access(), OTHER));
        assertThat(refused.status()).isEqualTo(403);
        assertProblem(refused, 403);

        assertThat(RawHttp.send(port, upgrade(chat, alice.access(), APP)).status()).isEqualTo(101);
        assertThat(RawHttp.send(port, upgrade(chat, alice.access(), null)).status())
                .as("clients that are not browsers send no Origin").isEqualTo(101);
    }

    static String preflight(String path, String origin, String method) {
        return "OPTIONS " + path + " HTTP/1.1\r\nHost: localhost\r\nOrigin: " + origin
                + "\r\nAccess-Control-Request-Method: " + method
                + "\r\nAccess-Control-Request-Headers: authorization, content-type\r\nConnection: close\r\n\r\n";
    }

    static String get(String path, String origin, String token) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nOrigin: " + origin + "\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Connection: close\r\n\r\n";
    }

    /** The chat's upgrade as a browser page of {@code origin} sends it (none: as a server or app does). */
    static String upgrade(long chatId, String token, String origin) {
        String request = RawHttp.upgrade(chatId, token, null);
        return origin == null ? request
                : request.replace("Host: localhost\r\n", "Host: localhost\r\nOrigin: " + origin + "\r\n");
    }

    static String header(RawHttp.Response response, String name) {
        for (String line : response.head().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    static void assertProblem(RawHttp.Response response, int status) {
        assertThat(header(response, "Content-Type")).startsWith("application/problem+json");
        String body = response.body();
        // the JSON itself, whether or not the body came in chunks
        JsonNode problem = Api.parse(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1));
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).isNotBlank();
    }
}
