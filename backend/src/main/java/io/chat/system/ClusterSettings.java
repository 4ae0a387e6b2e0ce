package io.chat.system;

import java.time.Duration;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * How this instance is known among the others, and how instances share the
 * one-connection-per-user-per-chat rule. It lives here, below the features, because several of
 * them name the instance: the connection claims, the relay (its origin id, its RabbitMQ queues).
 *
 * @param instanceId names this instance everywhere (its connection claims, the origin of its relay
 *     events, its queues in RabbitMQ); a random one per start when unset. Two instances must never
 *     share one: each would take the other's events for its own echo and drop them
 * @param claimTtl the claims of an instance that has not renewed its heartbeat for this long (a crashed
 *     instance) are taken over without asking it: the contract counts a crashed instance's
 *     connections dead within 5 s
 * @param claimRenewInterval how often an instance renews its heartbeat (one row, whatever its number of
 *     connections); well under {@code claimTtl}, so that a late renewal or two is not taken for a crash
 * @param claimCheckInterval how often an instance compares its claims in the database with its live
 *     connections and puts back those that went missing (a PostgreSQL crash empties the claims table)
 */
@ConfigurationProperties("chat.cluster")
public record ClusterSettings(String instanceId, @DefaultValue("4s") Duration claimTtl,
        @DefaultValue("1s") Duration claimRenewInterval, @DefaultValue("5s") Duration claimCheckInterval) {

    /** The random default is drawn here, once, so that every reader of the settings sees the same id. */
    public ClusterSettings {
        instanceId = StringUtils.hasText(instanceId) ? instanceId.strip() : UUID.randomUUID().toString();
        if (claimRenewInterval.compareTo(claimTtl) >= 0) {
            throw new IllegalArgumentException("chat.cluster.claim-renew-interval (" + claimRenewInterval
                    + ") must be shorter than chat.cluster.claim-ttl (" + claimTtl + "), or every instance's "
                    + "connections would be taken for those of a crashed instance");
        }
    }
}
