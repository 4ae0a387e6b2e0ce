package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.chat.support.Api;
import io.chat.support.EventStream;
import io.chat.support.Instances;
import io.chat.support.Rabbit;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * RabbitMQ drops the relay's STOMP connections in the middle of a conversation and refuses them for
 * a while: storage and same-instance delivery go on, the events of the other instance still arrive
 * from the database within seconds, in order and once, readiness reports the broker down while
 * liveness stays up, and the relay heals by itself once the broker takes it back, repeating nothing.
 * The faults are made for this test's own broker user, so tests running alongside on the same
 * RabbitMQ are untouched.
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
    void duringAnOutageEveryClientGetsEveryEventWithinSecondsInOrderOnceAndNothingIsRepeatedAfter(
            CapturedOutput output) throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        TestUser carol = one.newUser();
        TestUser bob = one.newUser();
        long chat = one.newChat(alice, bob, carol);
        awaitStompConnections(broker, 2 * LINKS_PER_INSTANCE);

        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient c = WsClient.open(one.wsUrl(chat), carol.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            a.sendJson(Map.of("type", "message", "text", "before the fault"));
            JsonNode before = a.next();
            assertThat(c.next()).isEqualTo(before);
            assertThat(b.next()).as("cross-instance before the fault").isEqualTo(before);
            long start = before.get("seq").asLong();

            broker.revoke();
            assertThat(broker.closeStompConnections()).isEqualTo(2 * LINKS_PER_INSTANCE);
            awaitStatus(one, "/actuator/health/readiness", 503, HEALING);
            awaitStatus(two, "/actuator/health/readiness", 503, HEALING);
            assertThat(one.get("/actuator/health/liveness", null).status()).isEqualTo(200);
            assertThat(two.get("/actuator/health/liveness", null).status()).isEqualTo(200);
            assertThat(one.get("/actuator/health", null).json().get("components").get("broker").get("status")
                    .asString()).isEqualTo("DOWN");

            // both sides send, edit and read while the instances cannot reach RabbitMQ
            long firstOfAlice = 0;
            for (int i = 0; i < 3; i++) {
                long id = one.post("/api/chats/" + chat + "/messages/", alice.access(),
                        Api.json(Map.of("text", "alice during the fault " + i))).json().get("id").asLong();
                firstOfAlice = firstOfAlice == 0 ? id : firstOfAlice;
                assertThat(two.post("/api/chats/" + chat + "/messages/", bob.access(),
                        Api.json(Map.of("text", "bob during the fault " + i))).status()).isEqualTo(201);
            }
            assertThat(one.patch("/api/chats/" + chat + "/messages/" + firstOfAlice + "/", alice.access(),
                    Api.json(Map.of("text", "edited during the fault"))).status()).isEqualTo(200);
            c.sendJson(Map.of("type", "read_messages"));
            long last = start + 8;
            List<JsonNode> eventsDuringOutage = awaitEvents(one, chat, start, last, alice);
            long lastAction = System.nanoTime();
            assertThat(EventStream.numbers(eventsDuringOutage)).as("stored, and numbered without a gap")
                    .isEqualTo(EventStream.range(start + 1, last));
            long carolsRead = eventsDuringOutage.get(7).get("seq").asLong();
            assertThat(eventsDuringOutage.get(7).get("type").asString()).isEqualTo("messages_read");

            // whoever sent it, on whichever instance: within 5 s, in order, once
            long deadline = lastAction + Duration.ofSeconds(5).toNanos();
            List<JsonNode> toBob = EventStream.until(b, last, Duration.ofNanos(deadline - System.nanoTime()));
            List<JsonNode> toAlice = EventStream.until(a, last, Duration.ofNanos(deadline - System.nanoTime()));
            System.out.printf("the other instance's events reached bob %d ms after the last action%n",
                    Duration.ofNanos(System.nanoTime() - lastAction).toMillis());
            assertThat(EventStream.numbers(toBob)).isEqualTo(EventStream.range(start + 1, last));
            assertThat(EventStream.numbers(toAlice)).isEqualTo(EventStream.range(start + 1, last));
            assertThat(EventStream.numbers(EventStream.until(c, last - 1,
                    Duration.ofNanos(deadline - System.nanoTime()))))
                    .as("carol's own read receipt is not sent to her").isEqualTo(
                            EventStream.range(start + 1, last, carolsRead));
            assertThat(toBob.get(6).get("type").asString()).isEqualTo("message_updated");
            assertThat(toBob.get(6).get("data").get("text").asString()).isEqualTo("edited during the fault");

            long healing = System.nanoTime();
            broker.grant();
            awaitStatus(one, "/actuator/health/readiness", 200, HEALING);
            awaitStatus(two, "/actuator/health/readiness", 200, HEALING);
            System.out.printf("relay healed %d ms after the broker took it back%n",
                    Duration.ofNanos(System.nanoTime() - healing).toMillis());
            assertThat(broker.stompConnections()).isEqualTo(2 * LINKS_PER_INSTANCE);

            // after the outage: the next event is the next number everywhere, nothing is repeated
            b.sendJson(Map.of("type", "message", "text", "after the fault"));
            for (WsClient client : List.of(a, b, c)) {
                JsonNode next = client.nextOfType("message");
                assertThat(next.get("seq").asLong()).isEqualTo(last + 1);
                assertThat(next.get("data").get("text").asString()).isEqualTo("after the fault");
            }
            for (WsClient client : List.of(a, b, c)) {
                client.expectSilence(Duration.ofMillis(2500)); // longer than a poll: it repeats nothing
            }
            assertThat(one.messageIds(chat, alice)).hasSize(8);
        } finally {
            broker.grant();
        }
        assertThat(countOf(output.getOut(), "broker.relay_down")).as("one line per instance at the loss")
                .isEqualTo(2);
        assertThat(countOf(output.getOut(), "cross-instance fan-out is back")).as("one line per instance when back")
                .isEqualTo(2);
    }

    /** The chat's events after {@code afterSeq} once the one numbered {@code last} is stored. */
    private static List<JsonNode> awaitEvents(Api api, long chat, long afterSeq, long last, TestUser reader)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<JsonNode> events = api.events(chat, afterSeq, reader);
        while (events.size() < last - afterSeq && System.nanoTime() < deadline) {
            Thread.sleep(20);
            events = api.events(chat, afterSeq, reader);
        }
        return events;
    }

    static void awaitStompConnections(Rabbit.User broker, int count) throws InterruptedException {
        long deadline = System.nanoTime() + HEALING.toNanos();
        while (broker.stompConnections() != count && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(broker.stompConnections()).isEqualTo(count);
    }

    private static int countOf(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    static void awaitStatus(Api api, String path, int status, Duration within) throws InterruptedException {
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
