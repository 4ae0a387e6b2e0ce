package io.chat.system;

import static io.chat.system.CrossOriginTest.assertProblem;
import static io.chat.system.CrossOriginTest.get;
import static io.chat.system.CrossOriginTest.header;
import static io.chat.system.CrossOriginTest.preflight;
import static io.chat.system.CrossOriginTest.upgrade;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.RawHttp;
import io.chat.support.TestUser;

/**
 * By default the REST API is same-origin only, while the socket takes pages of any origin: it is
 * authenticated by a token the page must hold, never by a cookie the browser would add.
 */
@ChatServerTest
class CrossOriginDefaultsTest {

    @LocalServerPort
    int port;

    @Test
    void theRestApiRefusesEveryOtherOriginAndServesItsOwn() throws IOException {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        long chat = api.newChat(alice);

        RawHttp.Response preflight = RawHttp.send(port, preflight("/api/chats/", CrossOriginTest.APP, "GET"));
        assertThat(preflight.status()).isEqualTo(403);
        assertThat(header(preflight, "Access-Control-Allow-Origin")).isNull();
        assertProblem(preflight, 403);

        RawHttp.Response crossOrigin = RawHttp.send(port, get("/api/chats/" + chat + "/", CrossOriginTest.APP,
                alice.access()));
        assertThat(crossOrigin.status()).isEqualTo(403);
        assertProblem(crossOrigin, 403);

        RawHttp.Response sameOrigin = RawHttp.send(port, get("/api/chats/" + chat + "/", "http://localhost",
                alice.access()));
        assertThat(sameOrigin.status()).isEqualTo(200);
        assertThat(header(sameOrigin, "Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void aSocketFromAnyOriginIsAllowed() throws IOException {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        long chat = api.newChat(alice);
        assertThat(RawHttp.send(port, upgrade(chat, alice.access(), CrossOriginTest.OTHER)).status()).isEqualTo(101);
        assertThat(RawHttp.send(port, upgrade(chat, alice.access(), CrossOriginTest.APP)).status()).isEqualTo(101);
    }
}
