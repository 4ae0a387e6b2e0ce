package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.EventStream;
import io.chat.support.Instances;
import io.chat.support.RabbitCluster;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import io.chat.system.ClusterSettings;
import tools.jackson.databind.JsonNode;

/**
 * A real two-node RabbitMQ cluster on loopback, started by this test from the installed RabbitMQ
 * (its own node names, ports and directories; the machine's own node is left alone). Two instances
 * list both nodes in {@code chat.broker.relay.addresses}, each in another order, so each starts on
 * another node. While clients on both instances send, the node of the first instance is stopped:
 * that instance moves to the other node and resubscribes, every client receives every message of
 * the chat in order and once, and events cross live again afterwards. The database polling is slowed
 * to once an hour, so what arrives comes through the relay and the gap filling alone.
 */
class RabbitClusterFailoverTest {

    static final Duration SEND_PAUSE = Duration.ofMillis(50);
    /** How long the clients keep sending before the node stops, and again once the instance has moved. */
    static final Duration SENDING_AROUND = Duration.ofSeconds(1);
    static final Duration FAILOVER = Duration.ofSeconds(20);

    static RabbitCluster rabbit;
    static Instances cluster;

    @BeforeAll
    static void aTwoNodeRabbitClusterAndTwoInstancesEachStartingOnAnotherNode() throws Exception {
        assumeTrue(RabbitCluster.installed(), "rabbitmq-server is not installed");
        long started = System.nanoTime();
        rabbit = RabbitCluster.start(Path.of("target", "rabbit-cluster"), "chat-a", "chat-b");
        assertThat(rabbit.runningNodes(rabbit.node(1))).containsExactlyInAnyOrder("chat-a@localhost",
                "chat-b@localhost");
        System.out.printf("two-node RabbitMQ cluster up and joined in %d ms%n",
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        String a = rabbit.node(0).stompAddress();
        String b = rabbit.node(1).stompAddress();
        cluster = Instances.start(0);
        String amqpA = rabbit.node(0).amqpAddress();
        String amqpB = rabbit.node(1).amqpAddress();
        cluster.add("--chat.broker.relay.addresses=" + a + "," + b,
                "--chat.broker.relay.amqp-addresses=" + amqpA + "," + amqpB, "--chat.broker.relay.poll-interval=1h",
                "--chat.limits.messages-per-minute=1000");
        cluster.add("--chat.broker.relay.addresses=" + b + "," + a,
                "--chat.broker.relay.amqp-addresses=" + amqpB + "," + amqpA, "--chat.broker.relay.poll-interval=1h",
                "--chat.limits.messages-per-minute=1000");
    }

    @AfterAll
    static void stopInstancesAndNodes() {
        if (cluster != null) {
            cluster.close();
        }
        if (rabbit != null) {
            rabbit.close();
        }
    }

    @Test
    void whenTheNodeOfAnInstanceStopsItMovesToTheOtherNodeAndEveryClientGetsEveryMessageInOrderOnce()
            throws Exception {
        StompRelayChatEventBus first = bus(0);
        StompRelayChatEventBus second = bus(1);
        String nodeA = rabbit.node(0).stompAddress();
        String nodeB = rabbit.node(1).stompAddress();
        awaitRelay(first, nodeA);
        awaitRelay(second, nodeB);

        Api one = cluster.api(0);
        Api two = cluster.api(1);
        List<TestUser> users = List.of(one.newUser(), one.newUser(), one.newUser(), one.newUser());
        long chat = one.newChat(users.get(0), users.subList(1, 4).toArray(TestUser[]::new));
        List<WsClient> clients = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(users.size());
        try {
            for (int i = 0; i < users.size(); i++) {
                Api api = i % 2 == 0 ? one : two; // clients 0 and 2 on the first instance, 1 and 3 on the second
                clients.add(WsClient.open(api.wsUrl(chat), users.get(i).access()));
            }
            AtomicBoolean keepSending = new AtomicBoolean(true);
            List<Future<Integer>> sending = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                WsClient client = clients.get(i);
                int sender = i;
                sending.add(senders.submit(() -> {
                    int sent = 0;
                    while (keepSending.get()) {
                        client.sendJson(Map.of("type", "message", "text", "client " + sender + " message " + sent));
                        sent++;
                        Thread.sleep(SEND_PAUSE.toMillis());
                    }
                    return sent;
                }));
            }
            Thread.sleep(SENDING_AROUND.toMillis());
            long stopped = System.nanoTime();
            rabbit.stopApp(rabbit.node(0));
            awaitRelay(first, nodeB);
            System.out.printf("the first instance is on chat-b again, %d ms after chat-a was told to stop%n",
                    Duration.ofNanos(System.nanoTime() - stopped).toMillis());
            Thread.sleep(SENDING_AROUND.toMillis());
            keepSending.set(false);
            long total = 0;
            for (Future<Integer> send : sending) {
                total += send.get(60, TimeUnit.SECONDS);
            }
            System.out.printf("the clients sent %d messages, from before the stop until after the move%n", total);
            assertThat(second.publisherNode().toString()).as("the second instance never left chat-b")
                    .isEqualTo(nodeB);
            assertThat(second.subscriberNode().toString()).isEqualTo(nodeB);

            // one more from each client, sent once both instances are on chat-b
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).sendJson(Map.of("type", "message", "text", "client " + i + " after the failover"));
            }
            total += clients.size();
            for (int i = 0; i < clients.size(); i++) {
                List<JsonNode> received = EventStream.until(clients.get(i), total, Duration.ofSeconds(30));
                assertThat(EventStream.numbers(received)).as("client %d: every message, in order, once", i)
                        .isEqualTo(EventStream.range(1, total));
                assertThat(received).extracting(frame -> frame.get("data").get("id").asLong())
                        .as("client %d: each message once", i).doesNotHaveDuplicates();
            }

            // live: the only way across is the relay (no polling), through chat-b
            long sent = System.nanoTime();
            clients.get(1).sendJson(Map.of("type", "message", "text", "live across chat-b"));
            JsonNode live = clients.get(0).poll(Duration.ofSeconds(2));
            assertThat(live).as("live through the relay").isNotNull();
            assertThat(live.get("seq").asLong()).isEqualTo(total + 1);
            System.out.printf("after the failover, an event crossed instances in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - sent).toMillis());

            String current = bus(0).chatsQueue();
            JsonNode queue = ConsoleNamesTest.await(() -> {
                for (JsonNode candidate : rabbit.management(rabbit.node(1), "/queues/%2F?columns=name,node")) {
                    if (candidate.get("name").asString().equals(current)) {
                        return candidate;
                    }
                }
                return null;
            }, "the first instance's queue " + current + " on chat-b");
            assertThat(queue.get("node").asString()).as("declared again on the other node").isEqualTo(
                    "chat-b@localhost");
            List<String> routingKeys = new ArrayList<>();
            for (JsonNode binding : rabbit.management(rabbit.node(1), "/queues/%2F/" + ConsoleNamesTest.encode(
                    current) + "/bindings")) {
                routingKeys.add(binding.get("routing_key").asString());
            }
            assertThat(routingKeys).as("bound to the chat again").contains("chat." + chat);
        } finally {
            senders.shutdownNow();
            clients.forEach(WsClient::close);
        }
    }

    static StompRelayChatEventBus bus(int instance) {
        StompRelayChatEventBus bus = cluster.context(instance).getBean(StompRelayChatEventBus.class);
        assertThat(bus.origin()).isEqualTo(cluster.context(instance).getBean(ClusterSettings.class).instanceId());
        return bus;
    }

    /** Both links of the instance connected, to the given node. */
    static void awaitRelay(StompRelayChatEventBus bus, String node) throws InterruptedException {
        long deadline = System.nanoTime() + FAILOVER.toNanos();
        while (!(bus.isConnected() && bus.publisherNode().toString().equals(node)
                && bus.subscriberNode().toString().equals(node))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("relay not connected to " + node + " within " + FAILOVER + ": "
                        + bus.nodes() + ", connected: " + bus.isConnected());
            }
            Thread.sleep(50);
        }
    }
}
