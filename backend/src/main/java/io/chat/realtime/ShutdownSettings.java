package io.chat.realtime;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How an instance leaves on SIGTERM.
 *
 * @param drainDelay how long it reports not ready and refuses new upgrades (503) before closing its
 *     sockets with 1012: longer than the load balancer needs to take it out of its pool (check
 *     interval × fall count: 2 s × 2 in {@code deploy/haproxy.cfg}), so that clients reconnecting
 *     at once land on another instance. 0 for a single instance with no balancer in front
 */
@ConfigurationProperties("chat.shutdown")
public record ShutdownSettings(@DefaultValue("6s") Duration drainDelay) {
}
