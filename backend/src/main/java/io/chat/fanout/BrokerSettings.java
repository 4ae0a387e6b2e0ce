package io.chat.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

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
     * @param addresses the nodes of a RabbitMQ cluster, {@code host:port,host:port}; when set, it
     *     replaces {@code host} and {@code port}, and a link whose node fails moves on to the next
     * @param login also how an operator tells instances apart in the management console: every
     *     connection shows its user, so one user per instance names each instance's two connections
     * @param subscriptions {@code per-chat}: an instance subscribes to each chat it has a session in;
     *     {@code every-chat}: once to all chats (see {@code StompRelayChatEventBus})
     * @param pollInterval how often an instance compares its chats with the database, which is how
     *     events reach it while RabbitMQ does not carry them
     * @param destinationPrefix put before every routing key, so that deployments sharing one broker
     *     (and virtual host) never receive each other's events; empty: routing keys {@code chat.<id>}
     */
    public record Relay(@DefaultValue("localhost") String host, @DefaultValue("61613") int port,
            @DefaultValue("") String addresses, @DefaultValue("guest") String login,
            @DefaultValue("guest") String passcode, @DefaultValue("/") String virtualHost,
            @DefaultValue("per-chat") Subscriptions subscriptions, @DefaultValue("2s") Duration pollInterval,
            @DefaultValue("") String destinationPrefix) {

        /** The nodes to connect to, in the order they are tried: {@code addresses}, or else {@code host:port}. */
        public List<Address> nodes() {
            if (!StringUtils.hasText(addresses)) {
                return List.of(new Address(host, port));
            }
            List<Address> nodes = new ArrayList<>();
            for (String entry : addresses.split(",")) {
                if (!entry.isBlank()) {
                    nodes.add(Address.parse(entry.strip()));
                }
            }
            return List.copyOf(nodes);
        }
    }

    /** One RabbitMQ node's STOMP listener. */
    public record Address(String host, int port) {

        static Address parse(String hostAndPort) {
            int colon = hostAndPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostAndPort.length() - 1) {
                throw new IllegalArgumentException("chat.broker.relay.addresses: '" + hostAndPort
                        + "' is not host:port (write e.g. rabbit-1:61613,rabbit-2:61613)");
            }
            String host = hostAndPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1); // an IPv6 literal
            }
            try {
                return new Address(host, Integer.parseInt(hostAndPort.substring(colon + 1)));
            } catch (NumberFormatException notAPort) {
                throw new IllegalArgumentException("chat.broker.relay.addresses: '" + hostAndPort
                        + "' is not host:port, its port is no number (write e.g. rabbit-1:61613,rabbit-2:61613)",
                        notAPort);
            }
        }

        @Override
        public String toString() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    /** How an instance subscribes to chats in relay mode. */
    public enum Subscriptions {
        PER_CHAT, EVERY_CHAT
    }
}
