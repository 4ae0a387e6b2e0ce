package io.chat.realtime;

import org.springframework.web.socket.CloseStatus;

/**
 * Every close code this server sends, in one place, with what it means and what a client should do.
 * 4xxx codes follow HTTP's: a client should not reconnect with the same credentials after one.
 */
final class CloseCodes {

    /** Missing, malformed, wrongly signed or expired token at open, or a token of an unknown user. Do not retry; log in again. */
    static final CloseStatus INVALID_TOKEN = new CloseStatus(4401, "Invalid token");

    /** The token's {@code exp} passed while connected. Refresh the token, then reconnect. */
    static final CloseStatus TOKEN_EXPIRED = new CloseStatus(4401, "Token expired");

    /** No such chat, or the user is not (or no longer) a participant. Do not retry. */
    static final CloseStatus ACCESS_DENIED = new CloseStatus(4403, "Access denied");

    /** The user already has an open connection to this chat (on any instance). Use that one. */
    static final CloseStatus ALREADY_CONNECTED = new CloseStatus(4409, "Already connected to this chat");

    /**
     * This connection did not answer a ping within 2 s while its user opened another one: it is
     * taken for dead (a phone that lost its network) and replaced. Do not reconnect it: the user
     * already has.
     */
    static final CloseStatus REPLACED = new CloseStatus(4409, "Replaced by a new connection");

    /** A binary frame: the protocol is JSON text only. Fix the client. */
    static final CloseStatus BINARY_NOT_ACCEPTED = new CloseStatus(1003, "Binary frames are not supported");

    /** The server is shutting down (deploy, scale-in). Reconnect at once, with {@code last_message_id}. */
    static final CloseStatus SERVICE_RESTART = new CloseStatus(1012, "Service restart");

    /** No pong (or any frame) for the configured timeout. Reconnect, with {@code last_message_id}. */
    static final CloseStatus PING_TIMEOUT = new CloseStatus(1001, "Ping timeout");

    /** The client reads too slowly to keep up with its chat. Reconnect with {@code last_message_id}. */
    static final CloseStatus TOO_SLOW = new CloseStatus(1013, "Too slow to keep up");

    /**
     * The instance has more new sockets waiting than it can admit within 2 s (a reconnect storm):
     * refused at once, before any work. Reconnect after a random delay that doubles at each such
     * refusal (0-1 s, 0-2 s, ... at most 30 s), with recovery.
     */
    static final CloseStatus TRY_AGAIN_LATER = new CloseStatus(1013, "Try again later");

    /** The server failed; the failure is logged. Reconnect with backoff. */
    static final CloseStatus SERVER_ERROR = new CloseStatus(1011, "Internal server error");

    /** A message above {@code chat.websocket.max-frame-bytes} (64 KiB). Fix the client. */
    static final CloseStatus TOO_BIG = new CloseStatus(1009, "Message too big");

    private CloseCodes() {
    }
}
