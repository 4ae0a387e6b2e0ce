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
 * user, one of them consuming the instance's queues (the subscriber) and the other none (the
 * publisher); one queue per chat with sockets on the instance, named after the instance and the
 * chat, bound to the chat's routing key, auto-deleted once the chat's last socket there closes;
 * events tagged with the configured instance id.
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
        cluster.add(brokerOne.relayArgs());
        cluster.add(brokerTwo.relayArgs());
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
        String idOne = instanceId(0);
        String idTwo = instanceId(1);
        TestUser alice = one.newUser();
        TestUser bob = one.newUser();
        long chat = one.newChat(alice, bob);
        String queueOfOne = "relay." + idOne + ".chat." + chat + ".";
        try (WsClient a = WsClient.open(one.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(two.wsUrl(chat), bob.access())) {
            List<JsonNode> queues = new ArrayList<>();
            for (String prefix : List.of(queueOfOne, "relay." + idTwo + ".chat." + chat + ".")) {
                JsonNode queue = await(() -> only(queuesNamed(prefix)), "one queue named " + prefix + "*");
                assertThat(queue.get("name").asString()).matches(java.util.regex.Pattern.quote(prefix) + "[0-9a-z]{6}");
                assertThat(queue.get("auto_delete").asBoolean()).as("auto-deleted").isTrue();
                assertThat(queue.get("exclusive").asBoolean()).as("not exclusive").isFalse();
                assertThat(queue.get("durable").asBoolean()).as("not durable").isFalse();
                List<String> routingKeys = new ArrayList<>();
                for (JsonNode binding : Rabbit.management("/queues/%2F/" + encode(queue.get("name").asString())
                        + "/bindings")) {
                    if ("amq.topic".equals(binding.get("source").asString())) {
                        routingKeys.add(binding.get("routing_key").asString());
                    }
                }
                assertThat(routingKeys).as("bound to the chat's routing key").containsExactly("chat." + chat);
                queues.add(queue);
            }

            for (int instance = 0; instance < 2; instance++) {
                Rabbit.User user = instance == 0 ? brokerOne : brokerTwo;
                String queue = queues.get(instance).get("name").asString();
                List<String> connections = await(() -> {
                    List<String> names = connectionsOf(user);
                    return names.size() == 2 ? names : null;
                }, "two STOMP connections of " + user.login());
                String subscriber = await(() -> consumerConnection(queue), "a consumer of " + queue);
                assertThat(connections).as("the subscriber is one of the instance's two connections")
                        .contains(subscriber);
                String ownQueues = "relay." + instanceId(instance) + ".";
                for (JsonNode consumer : Rabbit.management("/consumers")) {
                    String connection = consumer.path("channel_details").path("connection_name").asString();
                    if (connections.contains(connection)) {
                        assertThat(connection).as("only the subscriber consumes").isEqualTo(subscriber);
                        assertThat(consumer.path("queue").path("name").asString()).startsWith(ownQueues);
                    }
                }
                System.out.printf("instance %s: user %s, subscriber %s, publisher %s, queue %s%n", instanceId(instance),
                        user.login(), subscriber, connections.stream().filter(c -> !c.equals(subscriber)).findFirst()
                                .orElseThrow(), queue);
            }
        }
        await(() -> queuesNamed(queueOfOne).isEmpty() ? true : null, "the queue gone with the chat's last socket");
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

    static List<String> connectionsOf(Rabbit.User user) {
        List<String> names = new ArrayList<>();
        for (JsonNode connection : Rabbit.management("/connections")) {
            if (user.login().equals(connection.path("user").asString())
                    && connection.path("protocol").asString().startsWith("STOMP")) {
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
