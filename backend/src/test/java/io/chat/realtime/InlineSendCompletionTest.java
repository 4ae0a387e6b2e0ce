package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * Tomcat's thread pool runs WebSocket write completions where the write completed instead of as a
 * task each: deliveries to many sockets cost the pool no more tasks than the frames it reads.
 */
@ChatServerTest
@TestPropertySource(properties = "chat.limits.messages-per-minute=1000")
class InlineSendCompletionTest {

    private static final int LISTENERS = 6;
    private static final int MESSAGES = 40;

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    @Test
    void tomcatStillNamesItsCompletionTaskAsTheExecutorExpects() throws ClassNotFoundException {
        Class<?> task = Class.forName(InlineSendCompletionExecutor.SEND_COMPLETION_TASK);
        assertThat(Runnable.class).isAssignableFrom(task);
    }

    @Test
    void deliveriesToManySocketsAreNotDispatchedToThePoolOneByOne() {
        InlineSendCompletionExecutor pool = (InlineSendCompletionExecutor) ((TomcatWebServer) context.getWebServer())
                .getTomcat().getConnector().getProtocolHandler().getExecutor();
        Api api = new Api(port);
        TestUser sender = api.newUser();
        List<TestUser> listeners = new ArrayList<>();
        for (int i = 0; i < LISTENERS; i++) {
            listeners.add(api.newUser());
        }
        long chat = api.newChat(sender, listeners.toArray(TestUser[]::new));
        List<WsClient> sockets = new ArrayList<>();
        try (WsClient sending = WsClient.connect(api.wsUrl(chat), sender.access())) {
            sending.nextOfType("connection_established");
            for (TestUser listener : listeners) {
                WsClient socket = WsClient.connect(api.wsUrl(chat), listener.access());
                socket.nextOfType("connection_established");
                sockets.add(socket);
            }
            long tasksBefore = pool.getCompletedTaskCount() + pool.getActiveCount() + pool.getQueue().size();
            for (int i = 0; i < MESSAGES; i++) {
                sending.sendJson(Map.of("type", "message", "text", "m" + i));
                sending.nextOfType("message");
            }
            for (WsClient socket : sockets) {
                for (int i = 0; i < MESSAGES; i++) {
                    assertThat(socket.nextOfType("message").path("data").path("text").asString()).isEqualTo("m" + i);
                }
            }
            long tasks = pool.getCompletedTaskCount() + pool.getActiveCount() + pool.getQueue().size() - tasksBefore;
            int deliveries = MESSAGES * (LISTENERS + 1);
            // one task per frame read (and a few for the pool's own bookkeeping); a task per
            // delivery would add another 280
            assertThat(tasks).as("pool tasks for %d sends and %d deliveries", MESSAGES, deliveries)
                    .isLessThan(MESSAGES * 2L);
        } finally {
            sockets.forEach(WsClient::close);
        }
    }
}
