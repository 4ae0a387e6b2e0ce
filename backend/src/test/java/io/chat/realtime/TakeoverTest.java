package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.SilentSocket;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * The 4409 rows of PROTOCOL.md on one instance: a second live tab is refused at once, a dead
 * connection (a phone that lost its network: no close, no pong) is replaced within about 2 s, even
 * when it spoke a moment before (live means answering a ping now), and
 * the rule holds while the claims table is empty (as after a PostgreSQL crash), also once every
 * database connection of the server was cut (a failover).
 */
@ChatServerTest
class TakeoverTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;
    TestUser alice;
    long chat;

    @BeforeEach
    void chat() {
        api = new Api(port);
        alice = api.newUser();
        chat = api.newChat(alice, api.newUser());
    }

    @Test
    void aFrozenConnectionIsReplacedWithinAboutTwoSecondsAndTold() throws Exception {
        try (SilentSocket frozen = new SilentSocket(api.wsUrl(chat) + "?token=" + alice.access())) {
            frozen.awaitFirstText(10_000); // admitted: it holds the claim
            CompletableFuture<SilentSocket.CloseFrame> told = frozen.awaitServerCloseFrameInBackground(10_000);
            long started = System.nanoTime();
            try (WsClient phone = WsClient.open(api.wsUrl(chat), alice.access())) {
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                System.out.printf("a dead connection was replaced in %d ms%n", waited.toMillis());
                assertThat(waited).isLessThan(Duration.ofSeconds(3));
                assertThat(told.get()).isEqualTo(new SilentSocket.CloseFrame(4409, "Replaced by a new connection"));
                phone.sendJson(Map.of("type", "message", "text", "back online"));
                assertThat(phone.next().get("data").get("text").asString()).isEqualTo("back online");
            }
        }
    }

    @Test
    void aConnectionThatFrozeRightAfterSendingIsReplacedAllTheSame() throws Exception {
        try (SilentSocket frozen = new SilentSocket(api.wsUrl(chat) + "?token=" + alice.access())) {
            frozen.awaitFirstText(10_000);
            frozen.sendText("{\"type\": \"typing\", \"is_typing\": true}"); // its last word, then nothing
            CompletableFuture<SilentSocket.CloseFrame> told = frozen.awaitServerCloseFrameInBackground(10_000);
            long started = System.nanoTime();
            try (WsClient phone = WsClient.open(api.wsUrl(chat), alice.access())) {
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                System.out.printf("a connection that spoke just before freezing was replaced in %d ms%n",
                        waited.toMillis());
                assertThat(waited).isLessThan(Duration.ofSeconds(3));
                assertThat(told.get()).isEqualTo(new SilentSocket.CloseFrame(4409, "Replaced by a new connection"));
            }
        }
    }

    @Test
    void aSecondLiveTabIsRefusedAtOnce() throws Exception {
        try (WsClient first = WsClient.open(api.wsUrl(chat), alice.access())) {
            long started = System.nanoTime();
            try (WsClient second = WsClient.connect(api.wsUrl(chat), alice.access())) {
                assertThat(second.awaitClose()).isEqualTo(new WsClient.Closed(4409, "Already connected to this chat"));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            }
            first.sendJson(Map.of("type", "message", "text", "still me"));
            assertThat(first.next().get("data").get("text").asString()).isEqualTo("still me");
        }
    }

    @Test
    void theRuleHoldsWhileTheClaimsTableIsEmptyAndTheClaimsComeBack() throws Exception {
        try (WsClient first = WsClient.open(api.wsUrl(chat), alice.access())) {
            jdbc.sql("DELETE FROM connection_claims WHERE chat_id = ?").param(chat).update();
            assertDuplicateRefusedAndClaimPutBack();
            assertThat(first.isClosed()).isFalse();
        }
    }

    @Test
    void theRuleHoldsAfterTheDatabaseDroppedEveryConnectionAndLostTheClaims() throws Exception {
        try (WsClient first = WsClient.open(api.wsUrl(chat), alice.access())) {
            // as in a failover: every server connection of this database is cut, the unlogged claims are gone
            jdbc.sql("""
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()""").query(Long.class).single();
            // pooled connections idle for longer than this are checked before use
            Thread.sleep(1000);
            jdbc.sql("TRUNCATE connection_claims").update();
            assertDuplicateRefusedAndClaimPutBack();
            first.sendJson(Map.of("type", "message", "text", "after the failover"));
            assertThat(first.next().get("data").get("text").asString()).isEqualTo("after the failover");
        }
    }

    private void assertDuplicateRefusedAndClaimPutBack() throws Exception {
        try (WsClient duplicate = WsClient.connect(api.wsUrl(chat), alice.access())) {
            assertThat(duplicate.awaitClose()).isEqualTo(new WsClient.Closed(4409, "Already connected to this chat"));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long claims = 0;
        while (claims == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            claims = jdbc.sql("SELECT count(*) FROM connection_claims WHERE chat_id = ? AND user_id = ?")
                    .params(chat, alice.id()).query(Long.class).single();
        }
        assertThat(claims).as("put back by the next renewal").isEqualTo(1);
    }
}
