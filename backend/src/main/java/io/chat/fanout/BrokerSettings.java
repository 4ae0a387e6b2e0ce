package io.chat.fanout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How events of a chat reach the instances.
 *
 * @param mode {@code embedded}: in process, one instance; {@code relay}: RabbitMQ STOMP, many instances
 * @param relay the RabbitMQ STOMP plugin, used in relay mode
 */
@ConfigurationProperties("chat.broker")
public record BrokerSettings(@DefaultValue("embedded") Mode mode, @DefaultValue Relay relay) {

    /** Fan-out modes. */
    public enum Mode {
        EMBEDDED, RELAY
    }

    /**
     * RabbitMQ STOMP plugin endpoint; RabbitMQ refuses a CONNECT whose virtual host is not set.
     *
     * @param subscriptions {@code per-chat}: an instance subscribes to each chat it has a session in;
     *     {@code every-chat}: once to all chats (see {@code StompRelayChatEventBus})
     * @param pollInterval how often an instance compares its chats with the database, which is how
     *     events reach it while RabbitMQ does not carry them
     */
    public record Relay(@DefaultValue("localhost") String host, @DefaultValue("61613") int port,
            @DefaultValue("guest") String login, @DefaultValue("guest") String passcode,
            @DefaultValue("/") String virtualHost, @DefaultValue("per-chat") Subscriptions subscriptions,
            @DefaultValue("2s") Duration pollInterval) {
    }

    /** How an instance subscribes to chats in relay mode. */
    public enum Subscriptions {
        PER_CHAT, EVERY_CHAT
    }
}
