package io.chat.realtime;

import java.time.Duration;
import java.util.List;

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
 * @param allowedOrigins origins (or patterns such as {@code https://*.example.com}) whose pages may open
 *     the socket; {@code *}, the default, lets any page in, which is safe because the socket is
 *     authenticated by a token the page must hold, never by a cookie the browser would add by itself
 * @param admissionThreads threads that admit new sockets (token, membership, claim, greeting), apart
 *     from the web server's: a burst of opens waits for these, never for the threads that read the
 *     frames of open sockets; about the database connections an instance may spend on opens
 */
@ConfigurationProperties("chat.websocket")
public record WebSocketSettings(@DefaultValue("25s") Duration pingInterval,
        @DefaultValue("60s") Duration pongTimeout,
        @DefaultValue("65536") int maxFrameBytes,
        @DefaultValue("1048576") int sendBufferBytes,
        @DefaultValue("10s") Duration sendTimeLimit,
        @DefaultValue("false") boolean compression,
        @DefaultValue("*") List<String> allowedOrigins,
        @DefaultValue("4") int admissionThreads) {
}
