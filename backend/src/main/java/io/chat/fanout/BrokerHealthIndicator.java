package io.chat.fanout;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code broker} health component in relay mode: DOWN while either STOMP link to RabbitMQ is
 * down. It is part of readiness (a load balancer may prefer other instances), not of liveness: the
 * instance still stores and serves messages and must not be restarted for a broker outage.
 */
final class BrokerHealthIndicator implements HealthIndicator {

    private final StompRelayChatEventBus bus;
    private final BrokerSettings settings;

    BrokerHealthIndicator(StompRelayChatEventBus bus, BrokerSettings settings) {
        this.bus = bus;
        this.settings = settings;
    }

    @Override
    public Health health() {
        Health.Builder health = bus.isConnected() ? Health.up() : Health.down();
        return health.withDetail("mode", "relay")
                .withDetail("relay", settings.relay().host() + ":" + settings.relay().port())
                .withDetail("publisher", bus.publisherConnected() ? "connected" : "reconnecting")
                .withDetail("subscriber", bus.subscriberConnected() ? "connected" : "reconnecting")
                .withDetail("chats", bus.subscriptionCount())
                .withDetail("origin", bus.origin())
                .build();
    }
}
