package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.SilentSocket;
import io.chat.support.TestUser;
import io.chat.support.TokenMinter;
import io.chat.support.WsClient;

/** The while-connected rows of PROTOCOL.md part 1: what closes an open connection, with which code. */
@ChatServerTest
@TestPropertySource(properties = {"chat.websocket.ping-interval=1s", "chat.websocket.pong-timeout=3s",
        "chat.limits.messages-per-minute=1000000"})
class ClosingTest {

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
    void expiringTokenClosesTheConnectionWith4401TokenExpired() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), TokenMinter.access(alice.id(), 2))) {
            assertThat(a.awaitClose(Duration.ofSeconds(8))).isEqualTo(new WsClient.Closed(4401, "Token expired"));
        }
    }

    @Test
    void removedParticipantIsClosedWith4403AndTheOthersStay() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            assertThat(api.delete("/api/chats/" + chat + "/participants/" + bob.id() + "/", alice.access()).status())
                    .isEqualTo(204);
            assertThat(b.awaitClose()).isEqualTo(new WsClient.Closed(4403, "Access denied"));
            a.sendJson(Map.of("type", "message", "text", "still open"));
            assertThat(a.next().get("data").get("text").asString()).isEqualTo("still open");
            assertThat(a.isClosed()).isFalse();
        }
        try (WsClient again = WsClient.connect(api.wsUrl(chat), bob.access())) {
            assertThat(again.awaitClose()).isEqualTo(new WsClient.Closed(4403, "Access denied"));
        }
    }

    @Test
    void binaryFrameClosesWith1003() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access())) {
            a.sendBinary(new byte[] {1, 2, 3});
            assertThat(a.awaitClose().code()).isEqualTo(1003);
        }
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access())) {
            a.sendBinary(new byte[20_000]);
            assertThat(a.awaitClose().code()).as("a large binary frame is refused as binary").isEqualTo(1003);
        }
    }

    @Test
    void frameAbove64KibClosesWith1009AndOneBelowIsAnsweredNormally() {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access())) {
            a.sendJson(Map.of("type", "message", "text", "x".repeat(60 * 1024)));
            assertThat(a.next().get("message").asString()).isEqualTo("Message text cannot exceed 1000 characters");
            a.sendJson(Map.of("type", "message", "text", "x".repeat(65 * 1024)));
            assertThat(a.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void clientThatNeverAnswersPingsIsClosedAndItsSlotFreed() throws Exception {
        try (SilentSocket silent = new SilentSocket(api.wsUrl(chat) + "?token=" + alice.access())) {
            assertThat(silent.awaitServerClose(15_000)).isEqualTo(1001);
        }
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access())) {
            assertThat(a.isClosed()).isFalse();
        }
    }

    @Test
    void clientThatAnswersPingsStaysConnected() throws Exception {
        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access())) {
            Thread.sleep(5_000);
            assertThat(a.isClosed()).isFalse();
            a.sendJson(Map.of("type", "message", "text", "alive"));
            assertThat(a.next().get("data").get("text").asString()).isEqualTo("alive");
        }
    }

    @Test
    void expiryClosesWhileTheChatIsBusy() throws Exception {
        try (Flood flood = new Flood(); WsClient b = WsClient.open(api.wsUrl(chat), TokenMinter.access(bob.id(), 2))) {
            assertThat(b.awaitClose(Duration.ofSeconds(8))).isEqualTo(new WsClient.Closed(4401, "Token expired"));
            assertThat(flood.sent()).isPositive();
        }
    }

    @Test
    void removalClosesWhileTheChatIsBusy() throws Exception {
        try (Flood flood = new Flood(); WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            Thread.sleep(300);
            assertThat(api.delete("/api/chats/" + chat + "/participants/" + bob.id() + "/", alice.access()).status())
                    .isEqualTo(204);
            assertThat(b.awaitClose(Duration.ofSeconds(5))).isEqualTo(new WsClient.Closed(4403, "Access denied"));
            assertThat(flood.sent()).isPositive();
        }
    }

    @Test
    void pingTimeoutClosesWhileTheChatIsBusy() throws Exception {
        try (Flood flood = new Flood();
                SilentSocket silent = new SilentSocket(api.wsUrl(chat) + "?token=" + bob.access())) {
            long started = System.nanoTime();
            assertThat(silent.awaitServerCloseFrame(10_000)).isEqualTo(new SilentSocket.CloseFrame(1001, "Ping timeout"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(7));
            assertThat(flood.sent()).isPositive();
        }
    }

    /** Alice sends to the chat without pause until closed: every close above happens amid traffic. */
    private final class Flood implements AutoCloseable {

        private final WsClient sender = WsClient.open(api.wsUrl(chat), alice.access());
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean running = true;
        private final Thread thread = new Thread(() -> {
            while (running) {
                sender.sendJson(Map.of("type", "message", "text", "busy " + count.incrementAndGet()));
                sender.drain();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        });

        Flood() {
            thread.start();
        }

        int sent() {
            return count.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
            sender.close();
        }
    }
}
