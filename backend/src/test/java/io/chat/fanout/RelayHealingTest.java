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
    void aBindingsConnectionClosedByTheBrokerIsReopenedWithEveryChatBoundToANewQueue() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        TestUser bob = one.newUser();
        long chat = one.newChat(alice, bob);
        StompRelayChatEventBus second = cluster.context(1).getBean(StompRelayChatEventBus.class);
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "before"));
            assertThat(b.next()).isEqualTo(a.next());
            String before = second.chatsQueue();

            assertThat(broker.closeConnections("AMQP", 2)).isEqualTo(2);
            // sent while the second instance rebuilds: it reads it from the database once bound again
            long during = one.post("/api/chats/" + chat + "/messages/", alice.access(),
                    Api.json(Map.of("text", "during"))).json().get("id").asLong();
            assertThat(a.nextOfType("message").get("data").get("id").asLong()).isEqualTo(during);
            long deadline = System.nanoTime() + BrokerFaultTest.HEALING.toNanos();
            while (!(second.isConnected() && !before.equals(second.chatsQueue()))) {
                assertThat(System.nanoTime()).as("bound again on a new queue within " + BrokerFaultTest.HEALING)
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
            JsonNode caughtUp = b.nextOfType("message");
            assertThat(caughtUp.get("data").get("id").asLong()).isEqualTo(during);

            a.sendJson(Map.of("type", "message", "text", "after"));
            JsonNode after = a.nextOfType("message");
            assertThat(b.poll(Duration.ofSeconds(2))).as("live through the new queue").isEqualTo(after);
            assertThat(after.get("seq").asLong()).isEqualTo(caughtUp.get("seq").asLong() + 1);
            b.expectSilence(Duration.ofMillis(500));
        }

        // a chat opened after the rebuild is bound to the new queue at once
        long newChat = one.newChat(alice, bob);
        try (WsClient a = WsClient.open(one.wsUrl(newChat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(newChat), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "in a new chat"));
            JsonNode sent = a.nextOfType("message");
            assertThat(b.poll(Duration.ofSeconds(2))).as("live in a chat bound after the rebuild").isEqualTo(sent);
        }
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
