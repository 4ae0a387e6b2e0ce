package io.chat.fanout;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code broker} health component in relay mode: DOWN while either STOMP link to RabbitMQ is
 * down. It is part of readiness (a load balancer may prefer other instances), not of liveness: the
 * instance still stores and serves messages and must not be restarted for a broker outage. It names
 * the node each link uses, so that a failover to another node of a cluster can be seen.
 */
final class BrokerHealthIndicator implements HealthIndicator {

    private final StompRelayChatEventBus bus;
    private final String relayAddresses;

    BrokerHealthIndicator(StompRelayChatEventBus bus, String relayAddresses) {
        this.bus = bus;
        this.relayAddresses = relayAddresses;
    }

    @Override
    public Health health() {
        Health.Builder health = bus.isConnected() ? Health.up() : Health.down();
        return health.withDetail("mode", "relay")
                .withDetail("relay", relayAddresses)
                .withDetail("publisher", bus.publisherConnected() ? "connected" : "reconnecting")
                .withDetail("publisherNode", bus.publisherNode().toString())
                .withDetail("subscriber", bus.subscriberConnected() ? "connected" : "reconnecting")
                .withDetail("subscriberNode", bus.subscriberNode().toString())
                .withDetail("chats", bus.subscriptionCount())
                .withDetail("origin", bus.origin())
                .withDetail("queues", bus.queuePrefix() + "*")
                .build();
    }
}
