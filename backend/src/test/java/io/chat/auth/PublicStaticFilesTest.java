package io.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.Response;

/**
 * The chat page and the JavaScript client are public static files, served from the one copy in
 * {@code clients/js}; opening them up leaves every other path behind a token.
 */
@ChatServerTest
class PublicStaticFilesTest {

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void api() {
        api = new Api(port);
    }

    @Test
    void theClientIsServedWithoutATokenAsTheFileInClientsJs() throws Exception {
        Response client = api.get("/client/chat-client.js", null);
        assertThat(client.status()).isEqualTo(200);
        assertThat(client.contentType()).startsWith("text/javascript");
        assertThat(client.text()).isEqualTo(Files.readString(Path.of("..", "clients", "js", "chat-client.js")));
        assertThat(api.get("/client/chat-client.d.ts", null).status()).isEqualTo(200);
    }

    @Test
    void theChatPageAndItsAssetsAreServedWithoutAToken() {
        for (String path : new String[] {"/", "/index.html"}) {
            Response page = api.get(path, null);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.contentType()).as(path).startsWith("text/html");
            assertThat(page.text()).contains("/app/app.js");
        }
        assertThat(api.get("/app/app.js", null).contentType()).startsWith("text/javascript");
        assertThat(api.get("/app/app.css", null).contentType()).startsWith("text/css");
    }

    @Test
    void everythingElseStillNeedsAToken() {
        for (String path : new String[] {"/api/chats/", "/api/users/me/", "/no-such-page", "/client-other.js"}) {
            assertThat(api.get(path, null).status()).as(path).isEqualTo(401);
        }
        assertThat(api.post("/client/chat-client.js", null, "{}").status()).as("only GET is public").isEqualTo(401);
    }
}
