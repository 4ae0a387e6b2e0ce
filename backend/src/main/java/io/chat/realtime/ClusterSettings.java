package io.chat.realtime;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How instances share the one-connection-per-user-per-chat rule.
 *
 * @param instanceId names this instance's connection claims; a random one per start when unset
 * @param claimTtl a claim not renewed for this long lapses (a crashed instance frees its users)
 * @param claimRenewInterval how often live claims are renewed; well under {@code claimTtl}
 */
@ConfigurationProperties("chat.cluster")
public record ClusterSettings(String instanceId, @DefaultValue("30s") Duration claimTtl,
        @DefaultValue("10s") Duration claimRenewInterval) {
}
