package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.RawHttp;
import io.chat.support.TestUser;

/** With {@code chat.websocket.compression} on: a well-formed offer is accepted, any other declined, never a 500. */
@ChatServerTest
@TestPropertySource(properties = "chat.websocket.compression=true")
class CompressionTest {

    @LocalServerPort
    int port;

    @Test
    void wellFormedOffersAreAcceptedAndOthersDeclinedWithoutFailingTheUpgrade() throws IOException {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        long chat = api.newChat(alice);
        RawHttp.Response browser = RawHttp.send(port, RawHttp.upgrade(chat, alice.access(),
                "permessage-deflate; client_max_window_bits"));
        assertThat(browser.status()).isEqualTo(101);
        assertThat(browser.head()).containsIgnoringCase("Sec-WebSocket-Extensions: permessage-deflate");
        for (String odd : new String[] {"permessage-deflate; server_max_window_bits=1",
                "permessage-deflate; server_max_window_bits=abc", "permessage-deflate; mystery",
                "permessage-deflate; client_no_context_takeover; client_no_context_takeover", ";;;,,,"}) {
            RawHttp.Response response = RawHttp.send(port, RawHttp.upgrade(chat, alice.access(), odd));
            assertThat(response.status()).as(odd).isEqualTo(101);
            assertThat(response.head()).as(odd).doesNotContainIgnoringCase("Sec-WebSocket-Extensions");
        }
        RawHttp.Response second = RawHttp.send(port, RawHttp.upgrade(chat, alice.access(),
                "permessage-deflate; server_max_window_bits=1, permessage-deflate"));
        assertThat(second.status()).as("the second, well-formed offer is taken").isEqualTo(101);
        assertThat(second.head()).containsIgnoringCase("Sec-WebSocket-Extensions: permessage-deflate");
    }
}
