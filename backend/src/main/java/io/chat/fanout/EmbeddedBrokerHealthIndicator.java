package io.chat.fanout;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** The {@code broker} health component in embedded mode: in-process fan-out is up while the process is. */
@Component("brokerHealthIndicator")
@ConditionalOnProperty(name = "chat.broker.mode", havingValue = "embedded", matchIfMissing = true)
class EmbeddedBrokerHealthIndicator implements HealthIndicator {

    @Override
    public Health health() {
        return Health.up().withDetail("mode", "embedded").build();
    }
}
