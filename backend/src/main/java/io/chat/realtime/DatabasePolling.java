package io.chat.realtime;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.chat.fanout.BrokerSettings;

/**
 * Relay mode: every {@code chat.broker.relay.poll-interval} each instance compares the latest event
 * number of the chats it serves with what it delivered, in one query, and reads what is missing.
 *
 * <p>While RabbitMQ delivers, this finds nothing to do (or events already on their way, which then
 * come first). While this instance cannot reach RabbitMQ, it is how the events of other instances
 * still reach this instance's clients, within about one interval. It runs whether or not this
 * instance's own relay is up, because the instance cut off may be another one: its clients' events
 * are stored and never published, and only the database tells the others about them.
 */
@Component
@ConditionalOnProperty(name = "chat.broker.mode", havingValue = "relay")
class DatabasePolling implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DatabasePolling.class);

    private final LocalSessions sessions;
    private final FeedRepair repair;
    private final Duration interval;
    private volatile boolean running;

    DatabasePolling(LocalSessions sessions, FeedRepair repair, BrokerSettings settings) {
        this.sessions = sessions;
        this.repair = repair;
        this.interval = settings.relay().pollInterval();
    }

    @Override
    public void start() {
        running = true;
        repair.scheduleAtFixedDelay(() -> {
            if (running) {
                sessions.sweep();
            }
        }, interval);
        log.info("feed.polling interval={}ms: chats are compared with the database, so events that RabbitMQ "
                + "does not carry still arrive", interval.toMillis());
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
