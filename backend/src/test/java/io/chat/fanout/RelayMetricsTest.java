package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.Metrics;
import io.chat.support.Rabbit;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * Relay mode, two instances on the real RabbitMQ: the relay's meters say what the relay does. The
 * link gauges are 1 while connected; an event that crossed the broker is timed from its commit on
 * the other instance; an outage (the broker closes the instance's connections and refuses them)
 * shows as links at 0, the polling fallback at 1 and events not published, and its end as a
 * reconnect.
 */
class RelayMetricsTest {

    static final Duration HEALING = Duration.ofSeconds(20);

    static Rabbit.User broker;
    static Instances cluster;

    @BeforeAll
    static void startTwoInstances() {
        broker = Rabbit.newUser("metrics");
        cluster = Instances.start(2, broker.relayArgs());
    }

    @AfterAll
    static void stopInstances() {
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void linksAreUpAndAnEventFromTheOtherInstanceIsTimedFromItsCommit() {
        for (int i = 0; i < 2; i++) {
            awaitLinks(i, 1);
            Metrics metrics = Metrics.of(cluster.port(i));
            assertThat(metrics.value("chat_database_polling_fallback_active")).isZero();
            String node = "test-node-" + i + "-";
            assertThat(metrics.matching("chat_relay_link_up")).hasSize(2)
                    .allSatisfy(link -> assertThat(link.labels().get("instance_id")).startsWith(node));
        }
        Api one = cluster.api(0);
        TestUser alice = one.newUser();
        TestUser bob = one.newUser();
        long chat = one.newChat(alice, bob);
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(cluster.api(1).wsUrl(chat), bob.access())) {
            Metrics before = Metrics.of(cluster.port(1));
            a.sendJson(Map.of("type", "message", "text", "across"));
            assertThat(b.nextOfType("message").get("data").get("text").asString()).isEqualTo("across");
            Metrics after = Metrics.awaitValue(cluster.port(1), HEALING,
                    count -> count == before.value("chat_events_delivery_latency_seconds_count") + 1,
                    "chat_events_delivery_latency_seconds_count");
            assertThat(after.value("chat_events_delivered_total") - before.value("chat_events_delivered_total"))
                    .isEqualTo(1);
            assertThat(after.value("chat_events_delivery_latency_seconds_sum")
                    - before.value("chat_events_delivery_latency_seconds_sum")).isLessThan(5.0);
        }
    }

    @Test
    void anOutageShowsInTheGaugesAndItsEndAsAReconnect() {
        Api one = cluster.api(0);
        TestUser alice = one.newUser();
        long chat = one.newChat(alice);
        awaitLinks(0, 1);
        awaitLinks(1, 1);
        Metrics before = Metrics.of(cluster.port(0));
        try {
            broker.revoke();
            assertThat(broker.closeStompConnections()).isPositive();
            awaitLinks(0, 0);
            Metrics down = Metrics.of(cluster.port(0));
            assertThat(down.value("chat_database_polling_fallback_active")).isEqualTo(1);

            assertThat(one.post("/api/chats/" + chat + "/messages/", alice.access(),
                    Api.json(Map.of("text", "while the relay is down"))).status()).isEqualTo(201);
            Metrics.awaitValue(cluster.port(0), HEALING,
                    failures -> failures == before.value("chat_relay_publish_failures_total") + 1,
                    "chat_relay_publish_failures_total");
        } catch (Exception failure) {
            throw new AssertionError(failure);
        } finally {
            broker.grant();
        }
        awaitLinks(0, 1);
        Metrics after = Metrics.awaitValue(cluster.port(0), HEALING,
                reconnects -> reconnects >= before.value("chat_relay_reconnects_total") + 1,
                "chat_relay_reconnects_total");
        assertThat(after.value("chat_relay_reconnects_total") - before.value("chat_relay_reconnects_total"))
                .as("one outage, one return").isEqualTo(1);
        assertThat(after.value("chat_database_polling_fallback_active")).isZero();
        assertThat(after.value("chat_relay_publish_failures_total")
                - before.value("chat_relay_publish_failures_total")).isEqualTo(1);
    }

    /** Waits until both links of the instance report this state. */
    private static void awaitLinks(int instance, int up) {
        Metrics.awaitValue(cluster.port(instance), HEALING, value -> value == 2 * up, "chat_relay_link_up");
    }
}
