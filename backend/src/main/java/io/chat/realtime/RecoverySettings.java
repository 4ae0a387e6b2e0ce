package io.chat.realtime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a reconnecting client gets replayed.
 *
 * @param maxEvents most events ({@code ?since_seq=}) or messages ({@code ?last_message_id=}) replayed
 *     after {@code connection_established}; when more were missed, the latest this many are sent and
 *     the greeting says {@code "recovered": false}
 */
@ConfigurationProperties("chat.recovery")
public record RecoverySettings(@DefaultValue("1000") int maxEvents) {

    public RecoverySettings {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("chat.recovery.max-events must be at least 1, got " + maxEvents);
        }
    }
}
