package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.messaging.simp.stomp.StompHeaders;

/** The wire form of a chat event: the frame as the body, the rest as headers, the chat as routing key. */
class ChatEventCodecTest {

    @Test
    void everyAudienceSurvivesTheTrip() {
        for (ChatEvent event : new ChatEvent[] {
                ChatEvent.toAll(42, 7, 99, "{\"type\":\"message\",\"seq\":99,\"data\":{\"text\":\"héllo ✓\"}}"),
                ChatEvent.toOthers(42, 7, 100, "{\"type\":\"messages_read\",\"seq\":100}"),
                ChatEvent.transientToOthers(42, 7, "{\"type\":\"typing\"}"),
                ChatEvent.revoked(42, 8),
                ChatEvent.membershipChanged(42, 8)}) {
            StompHeaders headers = ChatEventCodec.headers(event, "origin-1");
            assertThat(headers.getDestination()).isEqualTo("/topic/chat.42");
            assertThat(headers.getFirst(ChatEventCodec.ORIGIN)).isEqualTo("origin-1");
            assertThat(ChatEventCodec.event(headers, event.frame())).isEqualTo(event);
        }
    }

    @Test
    void framesThatAreNotChatEventsAreIgnored() {
        StompHeaders foreign = new StompHeaders();
        foreign.setDestination("/topic/chat.42");
        assertThat(ChatEventCodec.event(foreign, "x")).isNull();
        StompHeaders malformed = ChatEventCodec.headers(ChatEvent.revoked(42, 8), "o");
        malformed.set("chat-user", "not a number");
        assertThat(ChatEventCodec.event(malformed, "")).isNull();
        StompHeaders otherTopic = ChatEventCodec.headers(ChatEvent.revoked(42, 8), "o");
        otherTopic.setDestination("/topic/news.1");
        assertThat(ChatEventCodec.event(otherTopic, "")).isNull();
    }
}
