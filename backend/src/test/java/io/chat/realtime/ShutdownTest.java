package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.chat.ChatApplication;
import io.chat.support.Api;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/** A server that shuts down (deploy, scale-in) closes its connections with 1012, so clients reconnect elsewhere. */
class ShutdownTest {

    @Test
    void shutdownClosesOpenConnectionsWith1012() {
        ConfigurableApplicationContext server = new SpringApplicationBuilder(ChatApplication.class)
                .profiles("test").run("--server.port=0");
        try {
            int port = ((WebServerApplicationContext) server).getWebServer().getPort();
            Api api = new Api(port);
            TestUser alice = api.newUser();
            long chat = api.newChat(alice);
            try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access())) {
                server.close();
                assertThat(a.awaitClose()).isEqualTo(new WsClient.Closed(1012, "Service restart"));
            }
        } finally {
            server.close();
        }
    }
}
