package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.ServerProcess;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

import tools.jackson.databind.JsonNode;

/**
 * PROTOCOL.md, "Opening outcomes": a crashed instance's connections count as dead within 5 s of the
 * crash, so that its clients, reconnecting to a surviving instance, are admitted within about 7 s
 * instead of being refused with 4409. The victim is a server in a process of its own, killed with
 * SIGKILL: no close frames, no claims given back, no heartbeat removed.
 */
class CrashedInstanceTest {

    static Instances survivor;

    @BeforeAll
    static void startSurvivor() {
        survivor = Instances.start(1);
    }

    @AfterAll
    static void stopSurvivor() {
        survivor.close();
    }

    @Test
    void clientsOfAKilledInstanceAreAdmittedOnTheSurvivorWithinSevenSeconds() throws Exception {
        Api api = survivor.api(0);
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        long chat = api.newChat(alice, bob);
        try (ServerProcess victim = ServerProcess.start("--chat.broker.mode=relay",
                "--chat.cluster.instance-id=crash-victim-" + System.nanoTime());
                WsClient bobOnSurvivor = WsClient.open(api.wsUrl(chat), bob.access())) {
            WsClient aliceOnVictim = WsClient.open(victim.api().wsUrl(chat), alice.access());
            aliceOnVictim.sendJson(Map.of("type", "message", "text", "before the crash"));
            long seq = aliceOnVictim.nextOfType("message").get("seq").asLong();
            assertThat(bobOnSurvivor.nextOfType("message").get("seq").asLong()).isEqualTo(seq);

            victim.kill();
            long crashed = System.nanoTime();
            assertThat(aliceOnVictim.awaitClose(Duration.ofSeconds(5)).code()).as("no close frame: dropped")
                    .isEqualTo(1006);
            aliceOnVictim.close();

            // at once, as a phone whose connection dropped: the survivor must not refuse it as still connected
            try (WsClient aliceOnSurvivor = WsClient.connect(api.wsUrl(chat) + "?since_seq=" + seq, alice.access())) {
                JsonNode greeting = aliceOnSurvivor.next();
                Duration waited = Duration.ofNanos(System.nanoTime() - crashed);
                System.out.printf("a client of a killed instance was admitted elsewhere %d ms after the crash%n",
                        waited.toMillis());
                assertThat(greeting.get("type").asString()).as("admitted, not refused: %s", greeting)
                        .isEqualTo("connection_established");
                assertThat(greeting.get("recovered").asBoolean()).isTrue();
                assertThat(waited).isLessThan(Duration.ofSeconds(7));

                bobOnSurvivor.sendJson(Map.of("type", "message", "text", "after the crash"));
                JsonNode received = aliceOnSurvivor.nextOfType("message");
                assertThat(received.get("seq").asLong()).isEqualTo(seq + 1);
                assertThat(received.get("data").get("text").asString()).isEqualTo("after the crash");
            }
        }
    }
}
