package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.Metrics;
import io.chat.support.SilentSocket;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * A member who stops reading in a busy chat (a tiny receive buffer, nothing read) is closed with a
 * real 1013 once more than the send buffer (1 MiB) is queued for it, and the others are not slowed
 * down meanwhile.
 */
@ChatServerTest
@TestPropertySource(properties = "chat.limits.messages-per-minute=1000000")
class SlowClientTest {

    static final int MESSAGES = 400;
    static final int FLOOD = 8_000;

    @LocalServerPort
    int port;

    @Test
    void aClientThatStopsReadingGets1013AndTheOthersKeepTheirPace() throws Exception {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        TestUser carol = api.newUser();
        long chat = api.newChat(alice, bob, carol);
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            String padding = "x".repeat(900);
            for (int i = 0; i < 100; i++) { // warm-up: the code paths compiled before anything is measured
                a.sendJson(Map.of("type", "message", "text", "warm-up " + padding));
                b.next();
                a.next();
            }
            SilentSocket slow = new SilentSocket(api.wsUrl(chat) + "?token=" + carol.access(), 4096);
            double slowClosesBefore = Metrics.of(port).value("chat_websocket_slow_client_closes_total");
            for (int i = 0; i < MESSAGES; i++) {
                // paced, so that the latency measured is the chat's, not a queue at alice's own socket
                a.sendJson(Map.of("type", "message", "text", System.nanoTime() + " " + padding));
                Thread.sleep(4);
            }
            List<Double> latenciesMillis = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                WsClient.Received received = b.nextReceived();
                JsonNode frame = received.json();
                long sentAt = Long.parseLong(frame.get("data").get("text").asString().split(" ")[0]);
                latenciesMillis.add((received.atNanos() - sentAt) / 1e6);
            }
            Collections.sort(latenciesMillis);
            double p99 = latenciesMillis.get((int) Math.ceil(0.99 * latenciesMillis.size()) - 1);
            System.out.printf("reading member: p50 %.1f ms, p99 %.1f ms, beside a member who stopped reading%n",
                    latenciesMillis.get(latenciesMillis.size() / 2), p99);
            assertThat(p99).as("p99 of the member who reads").isLessThan(100);

            // more than the kernel's socket buffers absorb on loopback (they grow to several MiB), so
            // that frames pile up in the server for the member who does not read
            for (int i = 0; i < FLOOD; i++) {
                a.sendJson(Map.of("type", "message", "text", "flood " + padding));
            }
            // now the slow one reads what reached it, its frames then the close the server sent
            // (which waits behind them up to chat.websocket.send-time-limit)
            CompletableFuture<SilentSocket.CloseFrame> closed = slow.awaitServerCloseFrameInBackground(20_000);
            for (int i = 0; i < FLOOD; i++) {
                assertThat(b.next().get("data").get("text").asString()).startsWith("flood");
            }
            SilentSocket.CloseFrame close = closed.get(30, TimeUnit.SECONDS);
            assertThat(close).isEqualTo(new SilentSocket.CloseFrame(1013, "Too slow to keep up"));
            assertThat(Metrics.of(port).value("chat_websocket_slow_client_closes_total") - slowClosesBefore)
                    .as("the metric of slow-client closes").isEqualTo(1);

            a.sendJson(Map.of("type", "message", "text", "after"));
            assertThat(b.nextOfType("message").get("data").get("text").asString()).startsWith("after");
            slow.close();
        }
    }
}
