package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * A crashed instance does not lock its users out: it stops renewing its heartbeat, and its claims
 * are taken over once that is {@code chat.cluster.claim-ttl} (4 s) old; a reconnect that comes
 * sooner asks it, hears nothing, and waits for the heartbeat to go stale instead of being refused.
 * Claims of live instances keep holding beyond the TTL.
 */
@ChatServerTest
class ClaimLapseTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void claimOfACrashedInstanceLapsesAfterTheTtl() throws Exception {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        long chat = api.newChat(alice);
        // what a crashed instance leaves behind: a claim, and a heartbeat that nobody will renew
        jdbc.sql("INSERT INTO cluster_instances (instance_id, heartbeat_at) VALUES ('crashed-instance', now()) "
                + "ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()").update();
        jdbc.sql("INSERT INTO connection_claims (chat_id, user_id, instance_id, session_id) "
                + "VALUES (?, ?, 'crashed-instance', 'lost-session')").params(chat, alice.id()).update();
        // the crashed instance answers no probe: the open waits for its heartbeat to go stale, then takes over
        long started = System.nanoTime();
        try (WsClient admitted = WsClient.open(api.wsUrl(chat), alice.access())) {
            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("a crashed instance's claim was taken over in %d ms%n", waited.toMillis());
            assertThat(waited).isBetween(Duration.ofMillis(2_500), Duration.ofMillis(5_500));
            assertThat(admitted.isClosed()).isFalse();
            assertThat(jdbc.sql("SELECT instance_id FROM connection_claims WHERE chat_id = ? AND user_id = ?")
                    .params(chat, alice.id()).query(String.class).single()).isNotEqualTo("crashed-instance");
        }
    }

    @Test
    void claimOfALiveConnectionIsRenewedBeyondTheTtl() throws Exception {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        long chat = api.newChat(alice);
        try (WsClient first = WsClient.open(api.wsUrl(chat), alice.access())) {
            Thread.sleep(Duration.ofSeconds(5).toMillis());
            try (WsClient second = WsClient.connect(api.wsUrl(chat), alice.access())) {
                assertThat(second.awaitClose()).isEqualTo(new WsClient.Closed(4409, "Already connected to this chat"));
            }
            assertThat(first.isClosed()).isFalse();
        }
    }
}
