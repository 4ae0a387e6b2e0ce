package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.Rabbit;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import io.chat.system.ClusterSettings;
import tools.jackson.databind.JsonNode;

/**
 * What an operator sees in RabbitMQ's management console while two instances run in relay mode,
 * read from the management API on 15672: each instance's two connections under its own broker
 * user, one of them consuming the instance's queue (the subscriber) and the other none (the
 * publisher), and an AMQP connection named after the instance that binds the queue; one queue per
 * instance, named after it, bound to the routing key of each chat with sockets on the instance
 * until the chat has lingered without one; events tagged with the configured instance id.
 */
class ConsoleNamesTest {

    static final Duration STATISTICS = Duration.ofSeconds(30);

    static Rabbit.User brokerOne;
    static Rabbit.User brokerTwo;
    static Instances cluster;

    @BeforeAll
    static void twoInstancesEachWithItsOwnBrokerUser() {
        brokerOne = Rabbit.newUser("console-one");
        brokerTwo = Rabbit.newUser("console-two");
        cluster = Instances.start(0);
        cluster.add(brokerOne.relayArgs("--chat.broker.relay.binding-linger=1s"));
        cluster.add(brokerTwo.relayArgs("--chat.broker.relay.binding-linger=1s"));
    }

    @AfterAll
    static void stopInstances() {
        cluster.close();
        brokerOne.close();
        brokerTwo.close();
    }

    @Test
    void theManagementApiNamesEachInstancesConnectionsQueuesAndBindings() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        TestUser bob = one.newUser();
        long chat = one.newChat(alice, bob);
        long otherChat = one.newChat(alice, bob);
        List<String> queues = new ArrayList<>();
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access());
                WsClient other = WsClient.open(one.wsUrl(otherChat), alice.access())) {
            for (int instance = 0; instance < 2; instance++) {
                String prefix = "relay." + instanceId(instance) + ".chats.";
                JsonNode queue = await(() -> only(queuesNamed(prefix)), "one queue named " + prefix + "*");
                String name = queue.get("name").asString();
                assertThat(name).matches(java.util.regex.Pattern.quote(prefix) + "[0-9a-z]{6}");
                assertThat(queue.get("auto_delete").asBoolean()).as("auto-deleted").isTrue();
                assertThat(queue.get("exclusive").asBoolean()).as("not exclusive").isFalse();
                assertThat(queue.get("durable").asBoolean()).as("not durable").isFalse();
                List<String> expected = instance == 0 ? List.of("chat." + chat, "chat." + otherChat)
                        : List.of("chat." + chat);
                assertThat(routingKeys(name)).as("bound to the routing key of each chat with a socket there")
                        .containsExactlyInAnyOrderElementsOf(expected);
                queues.add(name);
            }

            for (int instance = 0; instance < 2; instance++) {
                Rabbit.User user = instance == 0 ? brokerOne : brokerTwo;
                String queue = queues.get(instance);
                List<String> connections = await(() -> {
                    List<String> names = connectionsOf(user, "STOMP");
                    return names.size() == 2 ? names : null;
                }, "two STOMP connections of " + user.login());
                String subscriber = await(() -> consumerConnection(queue), "a consumer of " + queue);
                assertThat(connections).as("the subscriber is one of the instance's two connections")
                        .contains(subscriber);
                List<String> bindings = await(() -> {
                    List<String> names = connectionsOf(user, "AMQP");
                    return names.size() == 1 ? names : null;
                }, "one AMQP connection of " + user.login());
                assertThat(await(() -> clientProvidedName(bindings.get(0)), "the AMQP connection's name"))
                        .isEqualTo("chat relay bindings " + instanceId(instance));
                String ownQueues = "relay." + instanceId(instance) + ".";
                for (JsonNode consumer : Rabbit.management("/consumers")) {
                    String connection = consumer.path("channel_details").path("connection_name").asString();
                    if (connections.contains(connection) || bindings.contains(connection)) {
                        assertThat(connection).as("only the subscriber consumes").isEqualTo(subscriber);
                        assertThat(consumer.path("queue").path("name").asString()).startsWith(ownQueues);
                    }
                }
                System.out.printf("instance %s: user %s, subscriber %s, publisher %s, bindings %s, queue %s%n",
                        instanceId(instance), user.login(), subscriber, connections.stream()
                                .filter(c -> !c.equals(subscriber)).findFirst().orElseThrow(), bindings.get(0), queue);
            }

            // the other instance's copy comes through its queue (not only from the database's polling)
            a.sendJson(Map.of("type", "message", "text", "through the instance's queue"));
            JsonNode sent = a.nextOfType("message");
            assertThat(b.nextOfType("message")).isEqualTo(sent);
            await(() -> Rabbit.management("/queues/%2F/" + encode(queues.get(1))).path("message_stats")
                    .path("deliver_get").asLong() >= 1 ? true : null, "the event delivered from " + queues.get(1));
        }
        // both chats' sockets are gone from the first instance; after the linger (1 s here) it
        // keeps its queue, bound to nothing
        await(() -> routingKeys(queues.get(0)).isEmpty() ? true : null, "the bindings gone after the linger");
        assertThat(queuesNamed("relay." + instanceId(0) + ".chats.")).hasSize(1);
    }

    static List<String> routingKeys(String queue) {
        List<String> routingKeys = new ArrayList<>();
        for (JsonNode binding : Rabbit.management("/queues/%2F/" + encode(queue) + "/bindings")) {
            if ("amq.topic".equals(binding.get("source").asString())) {
                routingKeys.add(binding.get("routing_key").asString());
            }
        }
        return routingKeys;
    }

    /** The name an AMQP client gave its connection; null until the management API has it. */
    static String clientProvidedName(String connection) {
        for (JsonNode found : Rabbit.management("/connections")) {
            if (connection.equals(found.path("name").asString())) {
                String name = found.path("client_properties").path("connection_name").asString("");
                return name.isEmpty() ? null : name;
            }
        }
        return null;
    }

    @Test
    void eventsCarryTheConfiguredInstanceIdAsTheirOrigin() throws Exception {
        Api one = cluster.api(0);
        TestUser alice = one.newUser();
        TestUser bob = one.newUser();
        long chat = one.newChat(alice, bob);
        BlockingQueue<String> origins = new LinkedBlockingQueue<>();
        ThreadPoolTaskScheduler receipts = new ThreadPoolTaskScheduler();
        receipts.initialize();
        RelayStompClient stomp = new RelayStompClient("127.0.0.1", 61613);
        stomp.setMessageConverter(new StringMessageConverter());
        stomp.setTaskScheduler(receipts);
        StompHeaders connect = new StompHeaders();
        connect.setLogin("guest");
        connect.setPasscode("guest");
        connect.setHost("/");
        StompSession observer = stomp.connectAsync(connect, new StompSessionHandlerAdapter() {
        }).get(10, TimeUnit.SECONDS);
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access())) {
            StompHeaders subscribe = new StompHeaders();
            subscribe.setDestination("/topic/chat." + chat);
            subscribe.setReceipt("observer");
            java.util.concurrent.CountDownLatch routed = new java.util.concurrent.CountDownLatch(1);
            observer.subscribe(subscribe, new StompFrameHandler() {
                @Override
                public java.lang.reflect.Type getPayloadType(StompHeaders headers) {
                    return String.class;
                }

                @Override
                public void handleFrame(StompHeaders headers, Object payload) {
                    origins.add(headers.getFirst(ChatEventCodec.ORIGIN));
                }
            }).addReceiptTask(routed::countDown);
            assertThat(routed.await(10, TimeUnit.SECONDS)).isTrue();
            a.sendJson(Map.of("type", "message", "text", "whose is it"));
            a.next();
            assertThat(origins.poll(10, TimeUnit.SECONDS)).isEqualTo(instanceId(0));
        } finally {
            observer.disconnect();
            stomp.shutdown();
            receipts.shutdown();
        }
    }

    static String instanceId(int instance) {
        return cluster.context(instance).getBean(ClusterSettings.class).instanceId();
    }

    static List<JsonNode> queuesNamed(String prefix) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode queue : Rabbit.management("/queues/%2F?columns=name,durable,auto_delete,exclusive")) {
            if (queue.get("name").asString().startsWith(prefix)) {
                found.add(queue);
            }
        }
        return found;
    }

    static List<String> connectionsOf(Rabbit.User user, String protocol) {
        List<String> names = new ArrayList<>();
        for (JsonNode connection : Rabbit.management("/connections")) {
            if (user.login().equals(connection.path("user").asString())
                    && connection.path("protocol").asString().startsWith(protocol)) {
                names.add(connection.get("name").asString());
            }
        }
        return names;
    }

    /** The consumer's connection name; null until the management API has it (its statistics lag a moment). */
    static String consumerConnection(String queue) {
        for (JsonNode consumer : Rabbit.management("/consumers")) {
            if (queue.equals(consumer.path("queue").path("name").asString())) {
                String name = consumer.path("channel_details").path("connection_name").asString("");
                return name.isEmpty() ? null : name;
            }
        }
        return null;
    }

    static JsonNode only(List<JsonNode> nodes) {
        return nodes.size() == 1 ? nodes.get(0) : null;
    }

    static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The management API's statistics lag by a few seconds: asks again until it answers. */
    static <T> T await(Supplier<T> answer, String what) throws InterruptedException {
        long deadline = System.nanoTime() + STATISTICS.toNanos();
        while (true) {
            T found = answer.get();
            if (found != null) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within " + STATISTICS + ": " + what);
            }
            Thread.sleep(250);
        }
    }
}
