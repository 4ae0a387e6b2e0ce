package io.chat.fanout;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The relay's meters, read from the relay when scraped: whether each STOMP link is up, how often the
 * relay came back from an outage, how many events it could not hand to the broker, and whether
 * this instance depends on database polling for other instances' events. The relay only counts;
 * names and descriptions live here, so that the dashboard and alerts have one place to match.
 */
final class RelayMetrics implements MeterBinder {

    static final String LINK_UP = "chat.relay.link.up";
    static final String RECONNECTS = "chat.relay.reconnects";
    static final String PUBLISH_FAILURES = "chat.relay.publish.failures";
    static final String POLLING_FALLBACK = "chat.database.polling.fallback.active";

    private final StompRelayChatEventBus bus;

    RelayMetrics(StompRelayChatEventBus bus) {
        this.bus = bus;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(LINK_UP, bus, relay -> relay.publisherConnected() ? 1 : 0)
                .tag("link", "publisher")
                .description("1 while the STOMP link that publishes this instance's events to RabbitMQ is up")
                .register(registry);
        Gauge.builder(LINK_UP, bus, relay -> relay.subscriberConnected() ? 1 : 0)
                .tag("link", "subscriber")
                .description("1 while the STOMP link that receives other instances' events from RabbitMQ is up")
                .register(registry);
        FunctionCounter.builder(RECONNECTS, bus, StompRelayChatEventBus::reconnects)
                .description("Times the relay came back after an outage (any of its links lost)")
                .register(registry);
        FunctionCounter.builder(PUBLISH_FAILURES, bus, StompRelayChatEventBus::publishFailures)
                .description("Events not handed to RabbitMQ (relay down or send failed); other instances "
                        + "read them from the database")
                .register(registry);
        Gauge.builder(POLLING_FALLBACK, bus, relay -> relay.isConnected() ? 0 : 1)
                .description("1 while the relay is down, so that other instances' events reach this instance's "
                        + "clients only through database polling (chat.broker.relay.poll-interval)")
                .register(registry);
    }
}
