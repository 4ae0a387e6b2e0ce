package io.chat.fanout;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

import org.springframework.messaging.simp.stomp.StompHeaders;

/**
 * How a {@link ChatEvent} travels through RabbitMQ: the frame text is the body, the rest are STOMP
 * headers (RabbitMQ keeps custom headers). Each chat is a routing key on {@code amq.topic}, written
 * with dots as RabbitMQ's STOMP plugin expects: {@code /topic/chat.42}, or with a deployment's
 * {@code chat.broker.relay.destination-prefix} in front, {@code /topic/prod.chat.42}: deployments
 * sharing a broker then bind to disjoint routing keys and never see each other's events.
 */
final class ChatEventCodec {

    static final String ORIGIN = "chat-origin";
    private static final String AUDIENCE = "chat-audience";
    private static final String USER = "chat-user";
    private static final String SEQ = "chat-seq";
    /** When the event was committed, in microseconds since the epoch: for the latency metric only. */
    private static final String COMMITTED_AT = "chat-committed-at";
    /** Words of a routing key, without the topic wildcards {@code *} and {@code #} that would widen a binding. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private final String prefix;
    private final String topicPrefix;

    /** @param destinationPrefix empty, or dot-separated words such as {@code prod} or {@code eu.prod} */
    ChatEventCodec(String destinationPrefix) {
        String words = destinationPrefix == null ? "" : destinationPrefix.strip();
        if (words.endsWith(".")) {
            words = words.substring(0, words.length() - 1);
        }
        if (!words.isEmpty() && (!PREFIX.matcher(words).matches() || words.equals("amq") || words.startsWith("amq."))) {
            throw new IllegalArgumentException("chat.broker.relay.destination-prefix '" + destinationPrefix
                    + "' is not a routing-key prefix: use letters, digits, '-' and '_', words separated by dots "
                    + "(e.g. prod or eu.prod), not beginning with amq (RabbitMQ reserves it for its own queues)");
        }
        this.prefix = words;
        this.topicPrefix = "/topic/" + (words.isEmpty() ? "" : words + ".") + "chat.";
    }

    /** The prefix as it is put before routing keys (and queue names): empty, or words without a trailing dot. */
    String prefix() {
        return prefix;
    }

    String destination(long chatId) {
        return topicPrefix + chatId;
    }

    /** The routing key of the chat's events on {@code amq.topic}: its destination without {@code /topic/}. */
    String routingKey(long chatId) {
        return destination(chatId).substring("/topic/".length());
    }

    /** Every chat's routing key: RabbitMQ's topic wildcard for one word. */
    String everyChat() {
        return topicPrefix + "*";
    }

    StompHeaders headers(ChatEvent event, String origin) {
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

    /** @return the event, or null for a frame that is not one of ours (or of another deployment) */
    ChatEvent event(StompHeaders headers, String body) {
        String destination = headers.getDestination();
        String audience = headers.getFirst(AUDIENCE);
        if (destination == null || audience == null || !destination.startsWith(topicPrefix)) {
            return null;
        }
        try {
            return new ChatEvent(Long.parseLong(destination.substring(topicPrefix.length())),
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
