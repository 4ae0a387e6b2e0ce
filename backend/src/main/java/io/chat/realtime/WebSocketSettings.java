package io.chat.realtime;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * WebSocket settings.
 *
 * @param pingInterval how often the server pings each connection
 * @param pongTimeout a connection with no pong (or other frame) for this long is closed
 * @param maxFrameBytes largest text message accepted; larger ones close the connection with 1009
 * @param sendBufferBytes frames queued for a slow client before it is disconnected
 * @param sendTimeLimit longest a close frame may wait behind a write the client does not read, before
 *     the connection is dropped
 * @param compression accept {@code permessage-deflate} when a client offers it (see {@code ChatHandshakeHandler})
 */
@ConfigurationProperties("chat.websocket")
public record WebSocketSettings(@DefaultValue("25s") Duration pingInterval,
        @DefaultValue("60s") Duration pongTimeout,
        @DefaultValue("65536") int maxFrameBytes,
        @DefaultValue("1048576") int sendBufferBytes,
        @DefaultValue("10s") Duration sendTimeLimit,
        @DefaultValue("false") boolean compression) {
}
