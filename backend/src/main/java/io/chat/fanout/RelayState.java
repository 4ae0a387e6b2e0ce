package io.chat.fanout;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the relay's outages as an operator wants to read them: one line when cross-instance fan-out
 * is lost, one when it is back, whatever the number of links, retries and messages in between. The
 * relay is up only when every link is; it is reported down at the first failure of any link.
 */
final class RelayState implements StompLink.Watcher {

    private static final Logger log = LoggerFactory.getLogger(RelayState.class);

    private enum Reported {
        NOTHING, UP, DOWN
    }

    private final String relayAddress;
    private final String origin;
    private final BooleanSupplier allLinksUp;
    private final IntSupplier subscriptions;
    /** Which node each link uses: after a failover, the line that says the relay is back names the new one. */
    private final Supplier<String> nodes;
    private Reported reported = Reported.NOTHING;
    /** Outages the relay came back from (the metric of reconnects). */
    private final AtomicLong restored = new AtomicLong();

    RelayState(String relayAddress, String origin, BooleanSupplier allLinksUp, IntSupplier subscriptions,
            Supplier<String> nodes) {
        this.relayAddress = relayAddress;
        this.origin = origin;
        this.allLinksUp = allLinksUp;
        this.subscriptions = subscriptions;
        this.nodes = nodes;
    }

    @Override
    public void connected(StompLink link) {
        if (!allLinksUp.getAsBoolean()) {
            return; // another link is still connecting: not up yet
        }
        Reported before;
        synchronized (this) {
            before = reported;
            if (before == Reported.UP) {
                return;
            }
            reported = Reported.UP;
        }
        if (before == Reported.DOWN) {
            restored.incrementAndGet();
            log.info("broker.relay_up relay={} origin={} {} chats={}: cross-instance fan-out is back, "
                    + "subscriptions restored", relayAddress, origin, nodes.get(), subscriptions.getAsInt());
        } else {
            log.info("broker.relay_up relay={} origin={} {}: cross-instance fan-out through RabbitMQ", relayAddress,
                    origin, nodes.get());
        }
    }

    /** How many times the relay came back after being reported down. */
    long restored() {
        return restored.get();
    }

    @Override
    public void failed(StompLink link, String cause) {
        synchronized (this) {
            if (reported == Reported.DOWN) {
                return;
            }
            reported = Reported.DOWN;
        }
        log.warn("broker.relay_down relay={} origin={} link={}: {}. Messages are still stored and reach this "
                + "instance's clients at once, and other instances' clients from the database within "
                + "chat.broker.relay.poll-interval. Reconnecting on its own; if this lasts, check that RabbitMQ "
                + "runs with the rabbitmq_stomp plugin and that chat.broker.relay.* are right", relayAddress, origin,
                link.name(), cause);
    }
}
