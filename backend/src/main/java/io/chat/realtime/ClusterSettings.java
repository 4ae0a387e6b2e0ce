package io.chat.realtime;

import java.time.Duration;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How instances share the one-connection-per-user-per-chat rule.
 *
 * @param instanceId names this instance's connection claims; a random one per start when unset
 * @param claimTtl the claims of an instance that has not renewed its heartbeat for this long (a crashed
 *     instance) are taken over without asking it
 * @param claimRenewInterval how often an instance renews its heartbeat and puts back missing claims;
 *     well under {@code claimTtl}
 */
@ConfigurationProperties("chat.cluster")
public record ClusterSettings(String instanceId, @DefaultValue("15s") Duration claimTtl,
        @DefaultValue("5s") Duration claimRenewInterval) {

    /** Unset: a random id, chosen once, so that the claims, the logs and the metrics name this instance alike. */
    public ClusterSettings {
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = UUID.randomUUID().toString();
        }
    }
}
