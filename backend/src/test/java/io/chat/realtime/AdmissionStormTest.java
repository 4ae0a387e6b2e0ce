package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * PROTOCOL.md's storm row: an instance that cannot admit new sockets within 2 s refuses the excess
 * at once with 1013 {@code Try again later} instead of letting it queue, and sockets already open
 * do not notice, neither stalled admissions nor a flood of HTTP requests that hold the connector's
 * threads. Admission is made slow on purpose (one admission thread, the claims table locked
 * as a stalled database would hold it); text a client sends before its greeting is not lost.
 */
@ChatServerTest
// a small connector pool, so that stuck HTTP requests could take all of it
@TestPropertySource(properties = {"chat.websocket.admission-threads=1", "server.tomcat.threads.max=24"})
class AdmissionStormTest {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Test
    void opensBeyondWhatFitsInTwoSecondsAreRefusedAtOnceWhileOpenSocketsCarryOn() throws Exception {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        TestUser carol = api.newUser();
        TestUser dave = api.newUser();
        long chat = api.newChat(alice, bob, carol, dave);
        try (WsClient open = WsClient.open(api.wsUrl(chat), alice.access())) {
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch unlock = new CountDownLatch(1);
            CompletableFuture<Void> stall = CompletableFuture.runAsync(() -> holdClaimsLocked(locked, unlock));
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            try (WsClient first = WsClient.connect(api.wsUrl(chat), bob.access());
                    WsClient queued = WsClient.connect(api.wsUrl(chat), carol.access())) {
                Thread.sleep(1_550); // the queued open has waited more than three quarters of the 2 s budget
                long asked = System.nanoTime();
                try (WsClient refused = WsClient.connect(api.wsUrl(chat), dave.access())) {
                    assertThat(refused.awaitClose()).isEqualTo(new WsClient.Closed(1013, "Try again later"));
                    Duration took = Duration.ofNanos(System.nanoTime() - asked);
                    System.out.printf("an open beyond the budget was refused in %d ms%n", took.toMillis());
                    assertThat(took).isLessThan(Duration.ofMillis(500));
                }
                // an open socket is not held up by the stalled admissions: its frames are read and answered
                open.sendJson(Map.of("type", "nonsense"));
                assertThat(open.next()).isEqualTo(Api.parse(
                        "{\"type\":\"error\",\"message\":\"Unknown message type: nonsense\"}"));
                // a frame sent before the greeting waits for it, and is answered after it
                first.sendJson(Map.of("type", "message", "text", "said before my greeting"));
                unlock.countDown();
                stall.get(10, TimeUnit.SECONDS);
                assertThat(first.next().get("type").asString()).isEqualTo("connection_established");
                assertThat(first.nextOfType("message").get("data").get("text").asString())
                        .isEqualTo("said before my greeting");
                assertThat(queued.next().get("type").asString()).isEqualTo("connection_established");
            } finally {
                unlock.countDown();
            }
            // told to try again later, it is let in once the storm is over
            try (WsClient retried = WsClient.open(api.wsUrl(chat), dave.access())) {
                assertThat(retried.isClosed()).isFalse();
            }
            assertThat(open.nextOfType("message").get("data").get("text").asString()).isEqualTo("said before my greeting");
        }
    }

    @Test
    void framesOfOpenSocketsDoNotWaitBehindAFloodOfHttpRequests() throws Exception {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        long chat = api.newChat(alice, api.newUser());
        try (WsClient open = WsClient.open(api.wsUrl(chat), alice.access())) {
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch unlock = new CountDownLatch(1);
            CompletableFuture<Void> stall = CompletableFuture.runAsync(
                    () -> holdLocked("chat_participants", locked, unlock));
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            // more stuck HTTP requests than the connector lets run at once, each holding its thread
            List<CompletableFuture<Integer>> stuck = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(40);
            for (int i = 0; i < 40; i++) {
                stuck.add(CompletableFuture.supplyAsync(() -> api.get("/api/chats/", alice.access()).status(),
                        pool));
            }
            try {
                Thread.sleep(500);
                long asked = System.nanoTime();
                open.sendJson(Map.of("type", "nonsense"));
                assertThat(open.next()).isEqualTo(Api.parse(
                        "{\"type\":\"error\",\"message\":\"Unknown message type: nonsense\"}"));
                Duration took = Duration.ofNanos(System.nanoTime() - asked);
                System.out.printf("a frame of an open socket was answered in %d ms behind 40 stuck requests%n",
                        took.toMillis());
                assertThat(took).isLessThan(Duration.ofSeconds(1));
            } finally {
                unlock.countDown();
            }
            stall.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> request : stuck) {
                assertThat(request.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
            pool.shutdown();
        }
    }

    /** Holds the claims table locked, as a database that stopped answering would, until told to let go. */
    private void holdClaimsLocked(CountDownLatch locked, CountDownLatch unlock) {
        holdLocked("connection_claims", locked, unlock);
    }

    private void holdLocked(String table, CountDownLatch locked, CountDownLatch unlock) {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            locked.countDown();
            unlock.await(10, TimeUnit.SECONDS);
            connection.rollback();
        } catch (Exception failed) {
            throw new IllegalStateException(failed);
        }
    }
}
