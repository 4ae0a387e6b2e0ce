package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.Rabbit;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * RabbitMQ drops the relay's STOMP connections in the middle of a conversation and refuses them for
 * a while: storage and same-instance delivery go on, readiness reports the broker down while
 * liveness stays up, the relay heals by itself once the broker takes it back, and a client of the
 * other instance recovers exactly what it missed. The faults are made for this test's own broker
 * user, so tests running alongside on the same RabbitMQ are untouched.
 */
@ExtendWith(OutputCaptureExtension.class)
class BrokerFaultTest {

    /** Two STOMP connections per instance: one publishing, one subscribed. */
    static final int LINKS_PER_INSTANCE = 2;
    /** The relay's backoff tops out at 5 s; it must be back well within this. */
    static final Duration HEALING = Duration.ofSeconds(15);

    static Rabbit.User broker;
    static Instances cluster;

    @BeforeAll
    static void startTwoInstancesWithTheirOwnBrokerUser() {
        broker = Rabbit.newUser("fault");
        cluster = Instances.start(2, broker.relayArgs("--chat.limits.messages-per-minute=1000"));
    }

    @AfterAll
    static void stopInstances() {
        cluster.close();
        broker.close();
    }

    @Test
    void brokerDroppingTheRelayMidConversationCostsOnlyCrossInstanceFanOut(CapturedOutput output) throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        TestUser carol = one.newUser();
        TestUser bob = one.newUser();
        long chat = one.newChat(alice, bob, carol);
        awaitStompConnections(2 * LINKS_PER_INSTANCE);

        WsClient b = WsClient.open(two.wsUrl(chat), bob.access());
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient c = WsClient.open(one.wsUrl(chat), carol.access())) {
            a.sendJson(Map.of("type", "message", "text", "before the fault"));
            JsonNode before = a.next();
            assertThat(c.next()).isEqualTo(before);
            assertThat(b.next()).as("cross-instance before the fault").isEqualTo(before);
            long lastSeenByBob = before.get("data").get("id").asLong();

            broker.revoke();
            assertThat(broker.closeStompConnections()).isEqualTo(2 * LINKS_PER_INSTANCE);
            awaitStatus(one, "/actuator/health/readiness", 503, HEALING);
            awaitStatus(two, "/actuator/health/readiness", 503, HEALING);
            assertThat(one.get("/actuator/health/liveness", null).status()).isEqualTo(200);
            assertThat(two.get("/actuator/health/liveness", null).status()).isEqualTo(200);
            assertThat(one.get("/actuator/health", null).json().get("components").get("broker").get("status")
                    .asString()).isEqualTo("DOWN");

            List<Long> sentDuringOutage = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                a.sendJson(Map.of("type", "message", "text", "during the fault " + i));
                JsonNode ack = a.next();
                assertThat(ack.get("type").asString()).as("the sender still gets its acknowledgement")
                        .isEqualTo("message");
                assertThat(c.next()).as("same-instance peers still get it live").isEqualTo(ack);
                sentDuringOutage.add(ack.get("data").get("id").asLong());
            }
            assertThat(historyIdsAfter(one, chat, alice, lastSeenByBob)).as("stored").isEqualTo(sentDuringOutage);
            b.expectSilence(Duration.ofMillis(300));

            long healing = System.nanoTime();
            broker.grant();
            awaitStatus(one, "/actuator/health/readiness", 200, HEALING);
            awaitStatus(two, "/actuator/health/readiness", 200, HEALING);
            System.out.printf("relay healed %d ms after the broker took it back%n",
                    Duration.ofNanos(System.nanoTime() - healing).toMillis());
            assertThat(broker.stompConnections()).isEqualTo(2 * LINKS_PER_INSTANCE);

            // bob's connection on two never closed: live fan-out reaches it again by itself
            String heard = null;
            long deadline = System.nanoTime() + HEALING.toNanos();
            while (heard == null && System.nanoTime() < deadline) {
                a.sendJson(Map.of("type", "message", "text", "after the fault"));
                a.next();
                c.next();
                heard = firstMessageText(b, Duration.ofMillis(500));
            }
            assertThat(heard).as("live cross-instance fan-out resumed").isEqualTo("after the fault");

            // bob reconnects to the other instance with the last id he saw: exactly what he missed
            b.close();
            b = WsClient.connect(one.wsUrl(chat) + "?last_message_id=" + lastSeenByBob, bob.access());
            assertThat(b.next().get("type").asString()).isEqualTo("connection_established");
            List<Long> expected = historyIdsAfter(one, chat, alice, lastSeenByBob);
            assertThat(expected).startsWith(sentDuringOutage.toArray(Long[]::new));
            List<Long> recovered = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                recovered.add(b.next().get("data").get("id").asLong());
            }
            assertThat(recovered).as("no gap, no repeat, in id order").isEqualTo(expected);
            b.expectSilence(Duration.ofMillis(300));
        } finally {
            b.close();
            broker.grant();
        }
        assertThat(countOf(output.getOut(), "broker.relay_down")).as("one line per instance at the loss")
                .isEqualTo(2);
        assertThat(countOf(output.getOut(), "cross-instance fan-out is back")).as("one line per instance when back")
                .isEqualTo(2);
    }

    @Test
    void connectionsClosedByTheBrokerAreReopenedWithTheirSubscriptions() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        TestUser bob = one.newUser();
        long chat = one.newChat(alice, bob);
        awaitStompConnections(2 * LINKS_PER_INSTANCE);
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            assertThat(broker.closeStompConnections()).isEqualTo(2 * LINKS_PER_INSTANCE);
            String heard = null;
            long deadline = System.nanoTime() + HEALING.toNanos();
            while (heard == null && System.nanoTime() < deadline) {
                b.sendJson(Map.of("type", "message", "text", "across again"));
                b.next();
                heard = firstMessageText(a, Duration.ofMillis(500));
            }
            assertThat(heard).isEqualTo("across again");
            awaitStompConnections(2 * LINKS_PER_INSTANCE);
        }
    }

    private static void awaitStompConnections(int count) throws InterruptedException {
        long deadline = System.nanoTime() + HEALING.toNanos();
        while (broker.stompConnections() != count && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(broker.stompConnections()).isEqualTo(count);
    }

    private static List<Long> historyIdsAfter(Api api, long chat, TestUser reader, long afterId) {
        JsonNode results = api.get("/api/chats/" + chat + "/messages/?after_id=" + afterId + "&limit=200",
                reader.access()).json().get("results");
        return StreamSupport.stream(results.spliterator(), false).map(m -> m.get("id").asLong()).toList();
    }

    /** Text of the first message frame that arrived within the wait, or null. */
    private static String firstMessageText(WsClient client, Duration wait) throws InterruptedException {
        Thread.sleep(wait.toMillis());
        return client.drain().stream().filter(frame -> "message".equals(frame.path("type").asString()))
                .map(frame -> frame.get("data").get("text").asString()).findFirst().orElse(null);
    }

    private static int countOf(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    private static void awaitStatus(Api api, String path, int status, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = api.get(path, null).status();
            if (last == status) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " stayed " + last + ", expected " + status);
    }
}
