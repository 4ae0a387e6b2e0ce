package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;

import io.chat.support.Api;
import io.chat.support.EventStream;
import io.chat.support.Instances;
import io.chat.support.Rabbit;
import io.chat.support.TestUser;
import io.chat.support.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * Events of one chat reach an instance out of order, as when two instances publish commits that
 * followed each other closely, or not at all, as when the publishing instance lost the broker: its
 * clients still see them in the chat's order, each once, the missing ones read from the database.
 *
 * <p>Instance 0 stores the chat's events but cannot publish them (its broker user is revoked);
 * instance 1 polls the database only once an hour. The test itself publishes the stored events to
 * the chat's topic, in the order it chooses, under two made-up instance names, as RabbitMQ would
 * carry them from two publishers.
 */
class OutOfOrderDeliveryTest {

    static Rabbit.User silenced;
    static Instances cluster;
    static RelayStompClient stomp;
    static StompSession publisher;

    @BeforeAll
    static void aWriterThatCannotPublishAndAReaderThatHardlyPolls() throws Exception {
        silenced = Rabbit.newUser("silenced");
        cluster = Instances.start(1, silenced.relayArgs("--chat.limits.messages-per-minute=1000"));
        cluster.add("--chat.broker.relay.poll-interval=1h");
        silenced.revoke();
        silenced.closeStompConnections();
        BrokerFaultTest.awaitStatus(cluster.api(0), "/actuator/health/readiness", 503, BrokerFaultTest.HEALING);

        stomp = new RelayStompClient("127.0.0.1", 61613);
        stomp.setMessageConverter(new StringMessageConverter());
        StompHeaders connect = new StompHeaders();
        connect.setLogin("guest");
        connect.setPasscode("guest");
        connect.setHost("/");
        publisher = stomp.connectAsync(connect, new StompSessionHandlerAdapter() {
        }).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopAll() {
        publisher.disconnect();
        stomp.shutdown();
        cluster.close();
        silenced.grant();
        silenced.close();
    }

    @Test
    void eventsPublishedOutOfOrderOrLostReachClientsInTheChatsOrderOnce() {
        Api writer = cluster.api(0);
        Api reader = cluster.api(1);
        TestUser alice = writer.newUser();
        TestUser bob = writer.newUser();
        long chat = writer.newChat(alice, bob);
        try (WsClient b = WsClient.open(reader.wsUrl(chat), bob.access())) {
            post(writer, chat, alice, 3);
            List<JsonNode> stored = writer.events(chat, 0, alice);
            assertThat(EventStream.numbers(stored)).containsExactly(1L, 2L, 3L);
            b.expectSilence(Duration.ofMillis(300)); // nothing published, nothing polled

            publish(chat, alice, stored.get(2), "instance-x");
            publish(chat, alice, stored.get(0), "instance-y");
            publish(chat, alice, stored.get(1), "instance-x");
            List<JsonNode> received = EventStream.until(b, 3, Duration.ofSeconds(1));
            assertThat(received).as("in the chat's order, each once").isEqualTo(stored);

            // 4 is lost on the way: 5 waits while 4 is read from the database
            post(writer, chat, alice, 2);
            List<JsonNode> later = writer.events(chat, 3, alice);
            publish(chat, alice, later.get(1), "instance-y");
            long published = System.nanoTime();
            assertThat(EventStream.until(b, 5, Duration.ofSeconds(1))).isEqualTo(later);
            System.out.printf("a lost event was filled from the database in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - published).toMillis());

            // late and repeated copies are dropped
            publish(chat, alice, later.get(0), "instance-x");
            publish(chat, alice, later.get(1), "instance-y");
            publish(chat, alice, stored.get(1), "instance-x");
            post(writer, chat, alice, 1);
            JsonNode sixth = writer.events(chat, 5, alice).get(0);
            publish(chat, alice, sixth, "instance-x");
            assertThat(b.next()).as("the next event after nothing repeated").isEqualTo(sixth);
            b.expectSilence(Duration.ofMillis(300));
        }
    }

    private static void post(Api api, long chat, TestUser sender, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(api.post("/api/chats/" + chat + "/messages/", sender.access(),
                    Api.json(Map.of("text", "message " + i))).status()).isEqualTo(201);
        }
    }

    /** Publishes a stored event to the chat's topic as an instance named {@code origin} would. */
    private static void publish(long chat, TestUser actor, JsonNode frame, String origin) {
        ChatEvent event = ChatEvent.toAll(chat, actor.id(), frame.get("seq").asLong(), frame.toString());
        publisher.send(new ChatEventCodec("").headers(event, origin), event.frame());
    }
}
