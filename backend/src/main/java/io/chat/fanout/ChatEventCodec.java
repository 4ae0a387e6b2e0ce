package io.chat.fanout;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.springframework.messaging.simp.stomp.StompHeaders;

/**
 * How a {@link ChatEvent} travels through RabbitMQ: the frame text is the body, the rest are STOMP
 * headers (RabbitMQ keeps custom headers). Each chat is a routing key on {@code amq.topic}, written
 * with dots as RabbitMQ's STOMP plugin expects: {@code /topic/chat.42}.
 */
final class ChatEventCodec {

    static final String ORIGIN = "chat-origin";
    private static final String AUDIENCE = "chat-audience";
    private static final String USER = "chat-user";
    private static final String SEQ = "chat-seq";
    /** When the event was committed, in microseconds since the epoch: for the latency metric only. */
    private static final String COMMITTED_AT = "chat-committed-at";
    private static final String TOPIC_PREFIX = "/topic/chat.";
    /** Every chat's routing key: RabbitMQ's topic wildcard for one word. */
    static final String EVERY_CHAT = TOPIC_PREFIX + "*";

    private ChatEventCodec() {
    }

    static String destination(long chatId) {
        return TOPIC_PREFIX + chatId;
    }

    static StompHeaders headers(ChatEvent event, String origin) {
        StompHeaders headers = new StompHeaders();
        headers.setDestination(destination(event.chatId()));
        headers.set(ORIGIN, origin);
        headers.set(AUDIENCE, event.audience().name());
        headers.set(USER, Long.toString(event.userId()));
        headers.set(SEQ, Long.toString(event.seq()));
        if (event.committedAt() != null) {
            headers.set(COMMITTED_AT, Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, event.committedAt())));
        }
        return headers;
    }

    /** @return the event, or null for a frame that is not one of ours */
    static ChatEvent event(StompHeaders headers, String body) {
        String destination = headers.getDestination();
        String audience = headers.getFirst(AUDIENCE);
        if (destination == null || audience == null || !destination.startsWith(TOPIC_PREFIX)) {
            return null;
        }
        try {
            return new ChatEvent(Long.parseLong(destination.substring(TOPIC_PREFIX.length())),
                    ChatEvent.Audience.valueOf(audience), Long.parseLong(headers.getFirst(USER)),
                    Long.parseLong(headers.getFirst(SEQ)), body == null ? "" : body, committedAt(headers));
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private static Instant committedAt(StompHeaders headers) {
        String micros = headers.getFirst(COMMITTED_AT);
        return micros == null ? null : Instant.EPOCH.plus(Long.parseLong(micros), ChronoUnit.MICROS);
    }
}
