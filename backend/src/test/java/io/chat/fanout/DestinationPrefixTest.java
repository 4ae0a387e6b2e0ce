package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.EventStream;
import io.chat.support.Instances;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * Two deployments share one RabbitMQ, told apart by {@code chat.broker.relay.destination-prefix}:
 * instances on the same prefix carry each other's events, instances on different prefixes never
 * receive each other's. The three instances share the test database (two real deployments would
 * not), so the database polling that would bring events across anyway is slowed to once an hour:
 * only the relay carries events here.
 */
class DestinationPrefixTest {

    static Instances cluster;

    @BeforeAll
    static void twoInstancesOfOneDeploymentAndOneOfAnother() {
        String deployment = "dep" + System.nanoTime();
        cluster = Instances.start(0);
        for (String prefix : new String[] {deployment + ".blue", deployment + ".blue", deployment + ".green"}) {
            cluster.add("--chat.broker.relay.destination-prefix=" + prefix, "--chat.broker.relay.poll-interval=1h");
        }
    }

    @AfterAll
    static void stopInstances() {
        cluster.close();
    }

    @Test
    void eventsCrossInstancesOfOnePrefixAndNeverReachAnotherPrefix() {
        Api blueOne = cluster.api(0);
        Api blueTwo = cluster.api(1);
        Api green = cluster.api(2);
        TestUser alice = blueOne.newUser();
        TestUser bob = blueOne.newUser();
        TestUser carol = blueOne.newUser();
        long chat = blueOne.newChat(alice, bob, carol);
        try (WsClient a = WsClient.open(blueOne.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(blueTwo.wsUrl(chat), bob.access());
                WsClient c = WsClient.open(green.wsUrl(chat), carol.access())) {
            a.sendJson(Map.of("type", "message", "text", "blue only"));
            JsonNode sent = a.next();
            assertThat(b.next()).as("same prefix: carried by the relay").isEqualTo(sent);
            c.expectSilence(Duration.ofSeconds(2));

            b.sendJson(Map.of("type", "message", "text", "blue again"));
            JsonNode again = b.next();
            assertThat(a.next()).isEqualTo(again);
            c.expectSilence(Duration.ofSeconds(1));

            c.sendJson(Map.of("type", "message", "text", "green"));
            List<JsonNode> own = EventStream.until(c, 3, Duration.ofSeconds(5));
            assertThat(own.get(own.size() - 1).get("data").get("text").asString()).as("its own, at once")
                    .isEqualTo("green");
            a.expectSilence(Duration.ofSeconds(1));
            b.expectSilence(Duration.ofMillis(200));
        }
    }
}
