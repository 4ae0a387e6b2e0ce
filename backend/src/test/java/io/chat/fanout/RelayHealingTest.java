package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.EventStream;
import io.chat.support.Instances;
import io.chat.support.Rabbit;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * The relay's own healing, with the database polling slowed to once an hour so that only the relay
 * can bring events across: connections the broker closed are reopened with their subscriptions,
 * and once the relay is back, each instance catches its chats up with what it missed, once.
 */
class RelayHealingTest {

    static Rabbit.User broker;
    static Instances cluster;

    @BeforeAll
    static void startTwoInstancesThatHardlyPoll() {
        broker = Rabbit.newUser("healing");
        cluster = Instances.start(2, broker.relayArgs("--chat.broker.relay.poll-interval=1h"));
    }

    @AfterAll
    static void stopInstances() {
        cluster.close();
        broker.close();
    }

    @Test
    void connectionsClosedByTheBrokerAreReopenedWithTheirSubscriptions() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        TestUser bob = one.newUser();
        long chat = one.newChat(alice, bob);
        BrokerFaultTest.awaitStompConnections(broker, 2 * BrokerFaultTest.LINKS_PER_INSTANCE);
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            assertThat(broker.closeStompConnections()).isEqualTo(2 * BrokerFaultTest.LINKS_PER_INSTANCE);
            BrokerFaultTest.awaitStompConnections(broker, 2 * BrokerFaultTest.LINKS_PER_INSTANCE);
            BrokerFaultTest.awaitStatus(two, "/actuator/health/readiness", 200, BrokerFaultTest.HEALING);
            BrokerFaultTest.awaitStatus(one, "/actuator/health/readiness", 200, BrokerFaultTest.HEALING);
            b.sendJson(Map.of("type", "message", "text", "across again"));
            JsonNode sent = b.next();
            assertThat(a.next()).as("live across the restored subscription").isEqualTo(sent);
        }
    }

    @Test
    void whatTheRelayMissedIsDeliveredOnceItIsBackInOrderAndOnlyOnce() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        TestUser bob = one.newUser();
        long chat = one.newChat(alice, bob);
        BrokerFaultTest.awaitStompConnections(broker, 2 * BrokerFaultTest.LINKS_PER_INSTANCE);
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            broker.revoke();
            assertThat(broker.closeStompConnections()).isEqualTo(2 * BrokerFaultTest.LINKS_PER_INSTANCE);
            BrokerFaultTest.awaitStatus(two, "/actuator/health/readiness", 503, BrokerFaultTest.HEALING);
            List<Long> missed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                missed.add(one.post("/api/chats/" + chat + "/messages/", alice.access(),
                        Api.json(Map.of("text", "while the relay is down " + i))).json().get("id").asLong());
            }
            assertThat(EventStream.numbers(EventStream.until(a, 3, Duration.ofSeconds(5))))
                    .as("alice's own instance delivers at once").containsExactly(1L, 2L, 3L);
            b.expectSilence(Duration.ofSeconds(1));

            broker.grant();
            List<JsonNode> caughtUp = EventStream.until(b, 3, BrokerFaultTest.HEALING);
            assertThat(EventStream.numbers(caughtUp)).containsExactly(1L, 2L, 3L);
            assertThat(caughtUp).extracting(frame -> frame.get("data").get("id").asLong())
                    .containsExactlyElementsOf(missed);

            a.sendJson(Map.of("type", "message", "text", "live again"));
            assertThat(a.next().get("seq").asLong()).isEqualTo(4);
            assertThat(b.next().get("seq").asLong()).as("the next one, nothing repeated").isEqualTo(4);
            b.expectSilence(Duration.ofMillis(500));
        } finally {
            broker.grant();
        }
    }
}
