package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.springframework.messaging.simp.stomp.StompHeaders;

/** The wire form of a chat event: the frame as the body, the rest as headers, the chat as routing key. */
class ChatEventCodecTest {

    final ChatEventCodec codec = new ChatEventCodec("");

    @Test
    void everyAudienceSurvivesTheTrip() {
        for (ChatEvent event : new ChatEvent[] {
                ChatEvent.toAll(42, 7, 99, "{\"type\":\"message\",\"seq\":99,\"data\":{\"text\":\"héllo ✓\"}}"),
                ChatEvent.toOthers(42, 7, 100, "{\"type\":\"messages_read\",\"seq\":100}"),
                ChatEvent.transientToOthers(42, 7, "{\"type\":\"typing\"}"),
                ChatEvent.revoked(42, 8),
                ChatEvent.membershipChanged(42, 8)}) {
            StompHeaders headers = codec.headers(event, "origin-1");
            assertThat(headers.getDestination()).isEqualTo("/topic/chat.42");
            assertThat(headers.getFirst(ChatEventCodec.ORIGIN)).isEqualTo("origin-1");
            assertThat(codec.event(headers, event.frame())).isEqualTo(event);
        }
    }

    @Test
    void framesThatAreNotChatEventsAreIgnored() {
        StompHeaders foreign = new StompHeaders();
        foreign.setDestination("/topic/chat.42");
        assertThat(codec.event(foreign, "x")).isNull();
        StompHeaders malformed = codec.headers(ChatEvent.revoked(42, 8), "o");
        malformed.set("chat-user", "not a number");
        assertThat(codec.event(malformed, "")).isNull();
        StompHeaders otherTopic = codec.headers(ChatEvent.revoked(42, 8), "o");
        otherTopic.setDestination("/topic/news.1");
        assertThat(codec.event(otherTopic, "")).isNull();
    }

    @Test
    void aDestinationPrefixGoesBeforeEveryRoutingKeyAndEventsOfOtherPrefixesAreNotOurs() {
        ChatEventCodec prod = new ChatEventCodec("eu.prod");
        ChatEventCodec staging = new ChatEventCodec("staging.");
        ChatEvent event = ChatEvent.toAll(42, 7, 1, "{}");
        assertThat(prod.destination(42)).isEqualTo("/topic/eu.prod.chat.42");
        assertThat(prod.everyChat()).isEqualTo("/topic/eu.prod.chat.*");
        assertThat(staging.everyChat()).as("a trailing dot is the separator, not a word").isEqualTo(
                "/topic/staging.chat.*");
        assertThat(prod.event(prod.headers(event, "o"), "{}")).isEqualTo(event);
        assertThat(staging.event(prod.headers(event, "o"), "{}")).isNull();
        assertThat(codec.event(prod.headers(event, "o"), "{}")).isNull();
        assertThat(prod.event(codec.headers(event, "o"), "{}")).isNull();
    }

    @Test
    void aPrefixThatWouldWidenABindingOrNameAReservedQueueIsRefusedAtStart() {
        for (String bad : new String[] {"prod.*", "#", "a/b", "two words", "a..b", "amq", "amq.prod"}) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> new ChatEventCodec(bad))
                    .withMessageContaining("chat.broker.relay.destination-prefix");
        }
    }

    @Test
    void queueNamesCarryThePrefixAndTheInstanceAndDifferAtEachSubscription() {
        RelayQueueNames names = new RelayQueueNames("prod", "chat-1");
        assertThat(names.chats()).matches("prod\\.relay\\.chat-1\\.chats\\.[0-9a-z]{6}");
        assertThat(names.everyChat()).matches("prod\\.relay\\.chat-1\\.all-chats\\.[0-9a-z]{6}");
        assertThat(names.chats()).isNotEqualTo(names.chats());
        assertThat(new RelayQueueNames("", "pod 7/α:x").chats()).startsWith("relay.pod_7___x.chats.");
        assertThat(new RelayQueueNames("", "x".repeat(300)).everyChat()).hasSizeLessThan(255);
    }

    @Test
    void aChatsRoutingKeyIsItsTopicWithoutTheDestinationPrefix() {
        assertThat(new ChatEventCodec("").routingKey(42)).isEqualTo("chat.42");
        assertThat(new ChatEventCodec("eu.prod").routingKey(42)).isEqualTo("eu.prod.chat.42");
    }
}
