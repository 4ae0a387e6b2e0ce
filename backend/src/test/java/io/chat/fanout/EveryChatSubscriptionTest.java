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
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * With {@code chat.broker.relay.subscriptions=every-chat} an instance holds one subscription
 * whatever the number of chats its sockets are in, and makes it again when the broker drops it.
 */
class EveryChatSubscriptionTest {

    static final Duration HEALING = Duration.ofSeconds(15);
    static final int CHATS = 3;

    static Rabbit.User broker;
    static Instances cluster;

    @BeforeAll
    static void startTwoInstancesWithTheirOwnBrokerUser() {
        broker = Rabbit.newUser("every-chat");
        cluster = Instances.start(2, broker.relayArgs("--chat.broker.relay.subscriptions=every-chat"));
    }

    @AfterAll
    static void stopInstances() {
        cluster.close();
        broker.close();
    }

    @Test
    void oneSubscriptionPerInstanceForAnyNumberOfChatsRestoredAfterTheBrokerDropsIt() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        List<WsClient> senders = new ArrayList<>();
        List<WsClient> receivers = new ArrayList<>();
        try {
            for (int i = 0; i < CHATS; i++) {
                TestUser alice = one.newUser();
                TestUser bob = one.newUser();
                long chat = one.newChat(alice, bob);
                senders.add(WsClient.open(one.wsUrl(chat), alice.access()));
                receivers.add(WsClient.open(two.wsUrl(chat), bob.access()));
            }
            assertThat(broker.consumers()).as("one subscription per instance").isEqualTo(2);
            assertEveryChatCrosses(senders, receivers, "before");

            assertThat(broker.closeStompConnections()).isEqualTo(4);
            awaitConsumers(2);
            assertEveryChatCrosses(senders, receivers, "after");
        } finally {
            senders.forEach(WsClient::close);
            receivers.forEach(WsClient::close);
        }
    }

    private static void assertEveryChatCrosses(List<WsClient> senders, List<WsClient> receivers, String label)
            throws InterruptedException {
        for (int i = 0; i < senders.size(); i++) {
            String text = label + " " + i;
            String heard = null;
            long deadline = System.nanoTime() + HEALING.toNanos();
            while (heard == null && System.nanoTime() < deadline) {
                senders.get(i).sendJson(Map.of("type", "message", "text", text));
                senders.get(i).next();
                Thread.sleep(300);
                heard = receivers.get(i).drain().stream()
                        .filter(frame -> "message".equals(frame.path("type").asString()))
                        .map(frame -> frame.get("data").get("text").asString()).findFirst().orElse(null);
            }
            assertThat(heard).as("chat %d, %s", i, label).isEqualTo(text);
        }
    }

    private static void awaitConsumers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + HEALING.toNanos();
        while (broker.consumers() != count && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(broker.consumers()).isEqualTo(count);
    }
}
