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
import io.chat.support.Instances;
import io.chat.support.Rabbit;
import io.chat.support.Response;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * RabbitMQ drops every STOMP connection in the middle of a conversation: storage and same-instance
 * delivery go on, readiness reports the broker down while liveness stays up, the relay heals by
 * itself, and a client of the other instance recovers exactly what it missed.
 */
class BrokerFaultTest {

    static Instances cluster;

    @BeforeAll
    static void startTwoInstances() {
        cluster = Instances.start(2);
    }

    @AfterAll
    static void stopInstances() {
        cluster.close();
    }

    @Test
    void brokerOutageDegradesFanOutButNeverStorage() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        TestUser carol = one.newUser();
        TestUser bob = one.newUser();
        long chat = one.newChat(alice, bob, carol);

        WsClient b = WsClient.open(two.wsUrl(chat), bob.access());
        long lastSeenByBob;
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient c = WsClient.open(one.wsUrl(chat), carol.access())) {
            a.sendJson(Map.of("type", "message", "text", "before the fault"));
            lastSeenByBob = b.next().get("data").get("id").asLong();
            a.next();
            c.next();

            Rabbit.stopStomp();
            awaitReadiness(one, 503);
            assertThat(one.get("/actuator/health/liveness", null).status()).isEqualTo(200);
            JsonNode broker = one.get("/actuator/health", null).json().get("components").get("broker");
            assertThat(broker.get("status").asString()).isEqualTo("DOWN");

            List<Long> sentDuringOutage = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                a.sendJson(Map.of("type", "message", "text", "during the fault " + i));
                JsonNode ack = a.next();
                assertThat(ack.get("type").asString()).as("the sender still gets its acknowledgement").isEqualTo("message");
                assertThat(c.next()).as("same-instance peers still get it live").isEqualTo(ack);
                sentDuringOutage.add(ack.get("data").get("id").asLong());
            }

            Rabbit.startStomp();
            awaitReadiness(one, 200);
            awaitReadiness(two, 200);
            // live fan-out resumed by itself: bob (on two) hears alice (on one) again
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String heard = null;
            b.close();
            b = WsClient.connect(two.wsUrl(chat) + "?last_message_id=" + lastSeenByBob, bob.access());
            assertThat(b.next().get("type").asString()).isEqualTo("connection_established");
            List<Long> recovered = new ArrayList<>();
            for (int i = 0; i < sentDuringOutage.size(); i++) {
                recovered.add(b.next().get("data").get("id").asLong());
            }
            assertThat(recovered).as("exactly what bob missed, in order").isEqualTo(sentDuringOutage);
            while (heard == null && System.nanoTime() < deadline) {
                a.sendJson(Map.of("type", "message", "text", "after the fault"));
                a.next();
                c.next();
                heard = b.nextOfType("message").get("data").get("text").asString();
            }
            assertThat(heard).isEqualTo("after the fault");
        } finally {
            b.close();
            Rabbit.startStomp();
        }
        Response history = one.get("/api/chats/" + chat + "/messages/", alice.access());
        assertThat(history.json().get("results")).hasSize(5);
    }

    @Test
    void connectionsClosedByTheBrokerAreReopenedWithTheirSubscriptions() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        TestUser bob = one.newUser();
        long chat = one.newChat(alice, bob);
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            Rabbit.closeStompConnections();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String heard = null;
            while (heard == null && System.nanoTime() < deadline) {
                Thread.sleep(300);
                a.sendJson(Map.of("type", "message", "text", "across again"));
                a.next();
                heard = b.drain().stream().map(frame -> frame.get("data").get("text").asString()).findFirst()
                        .orElse(null);
            }
            assertThat(heard).isEqualTo("across again");
        }
    }

    private static void awaitReadiness(Api api, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = api.get("/actuator/health/readiness", null).status();
            if (last == status) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("readiness stayed " + last + ", expected " + status);
    }
}
