package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * A crashed instance does not lock its users out: its claims stop being renewed and lapse after
 * {@code chat.cluster.claim-ttl}, while claims of live instances are renewed and keep holding.
 */
@ChatServerTest
@TestPropertySource(properties = {"chat.cluster.claim-ttl=3s", "chat.cluster.claim-renew-interval=1s"})
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
        // what a crashed instance leaves behind: a fresh claim that nobody will renew
        jdbc.sql("INSERT INTO connection_claims (chat_id, user_id, instance_id, session_id, expires_at) "
                + "VALUES (?, ?, 'crashed-instance', 'lost-session', now() + interval '3 seconds')")
                .params(chat, alice.id()).update();
        try (WsClient refused = WsClient.connect(api.wsUrl(chat), alice.access())) {
            assertThat(refused.awaitClose()).isEqualTo(new WsClient.Closed(4409, "Already connected to this chat"));
        }
        Thread.sleep(3_500);
        try (WsClient admitted = WsClient.open(api.wsUrl(chat), alice.access())) {
            assertThat(admitted.isClosed()).isFalse();
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
