package io.chat.message;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Message limits.
 *
 * @param maxMessageLength characters (Unicode code points) after trimming
 * @param messagesPerMinute stored messages per user in any 60 seconds, across chats and instances
 */
@ConfigurationProperties("chat.limits")
public record MessageLimits(@DefaultValue("1000") int maxMessageLength, @DefaultValue("10") int messagesPerMinute) {
}
