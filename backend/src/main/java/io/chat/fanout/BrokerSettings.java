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
     * @param subscriptions {@code per-chat}: an instance's queue is bound to each chat it has a session
     *     in; {@code every-chat}: it subscribes once to all chats (see {@code StompRelayChatEventBus})
     * @param pollInterval how often an instance compares its chats with the database, which is how
     *     events reach it while RabbitMQ does not carry them
     * @param destinationPrefix put before every routing key, so that deployments sharing one broker
     *     (and virtual host) never receive each other's events; empty: routing keys {@code chat.<id>}
     * @param amqpPort in per-chat mode, the AMQP 0-9-1 port of every node ({@code host}, or each host of
     *     {@code addresses}): bindings of chats to the instance's queue are made over AMQP
     * @param amqpAddresses instead of {@code amqp-port}: each node's AMQP listener, in the order of
     *     {@code addresses} (nodes on one host need ports of their own)
     * @param bindingLinger how long a chat stays bound to an instance after its last local session
     *     left: a chat reopened meanwhile (a reconnect, a page reload) costs the broker nothing
     */
    public record Relay(@DefaultValue("localhost") String host, @DefaultValue("61613") int port,
            @DefaultValue("") String addresses, @DefaultValue("guest") String login,
            @DefaultValue("guest") String passcode, @DefaultValue("/") String virtualHost,
            @DefaultValue("per-chat") Subscriptions subscriptions, @DefaultValue("2s") Duration pollInterval,
            @DefaultValue("") String destinationPrefix, @DefaultValue("5672") int amqpPort,
            @DefaultValue("") String amqpAddresses, @DefaultValue("30s") Duration bindingLinger) {

        public Relay {
            if (bindingLinger.isNegative()) {
                throw new IllegalArgumentException("chat.broker.relay.binding-linger must not be negative, was "
                        + bindingLinger);
            }
        }

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

        /**
         * Each node's AMQP listener, in the order of {@link #nodes()}: {@code amqp-addresses}, or else
         * each node's host with {@code amqp-port}.
         */
        public List<Address> amqpNodes() {
            List<Address> stomp = nodes();
            if (!StringUtils.hasText(amqpAddresses)) {
                return stomp.stream().map(node -> new Address(node.host(), amqpPort)).toList();
            }
            List<Address> amqp = new ArrayList<>();
            for (String entry : amqpAddresses.split(",")) {
                if (!entry.isBlank()) {
                    amqp.add(Address.parse(entry.strip(), "chat.broker.relay.amqp-addresses", "rabbit-1:5672,rabbit-2:5672"));
                }
            }
            if (amqp.size() != stomp.size()) {
                throw new IllegalArgumentException("chat.broker.relay.amqp-addresses lists " + amqp.size()
                        + " nodes but the STOMP nodes are " + stomp.size() + ": list each node's AMQP listener in "
                        + "the order of chat.broker.relay.addresses");
            }
            return List.copyOf(amqp);
        }
    }

    /** One RabbitMQ node's STOMP listener. */
    public record Address(String host, int port) {

        static Address parse(String hostAndPort) {
            return parse(hostAndPort, "chat.broker.relay.addresses", "rabbit-1:61613,rabbit-2:61613");
        }

        static Address parse(String hostAndPort, String property, String example) {
            int colon = hostAndPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostAndPort.length() - 1) {
                throw new IllegalArgumentException(property + ": '" + hostAndPort
                        + "' is not host:port (write e.g. " + example + ")");
            }
            String host = hostAndPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1); // an IPv6 literal
            }
            try {
                return new Address(host, Integer.parseInt(hostAndPort.substring(colon + 1)));
            } catch (NumberFormatException notAPort) {
                throw new IllegalArgumentException(property + ": '" + hostAndPort
                        + "' is not host:port, its port is no number (write e.g. " + example + ")",
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
