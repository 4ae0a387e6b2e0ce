package io.chat.realtime;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

import io.chat.auth.AccessTokenVerifier;
import io.chat.auth.InvalidToken;
import io.chat.auth.VerifiedAccess;
import io.chat.chat.NotParticipant;
import io.chat.fanout.ChatEvent;
import io.chat.fanout.ChatEventBus;
import io.chat.system.ApiException;

/**
 * The raw-protocol adapter: one instance serves every connection to {@code /ws/chat/{chat_id}/}.
 * At open it checks, in the contract's order, the token (4401), membership (4403) and the
 * one-connection rule (4409), then greets the client with the chat's latest event number, replays
 * what it missed ({@code ?since_seq=} or {@code ?last_message_id=}) and lets live events through. Each text frame is parsed, validated and sent through the secured internal channel;
 * failures come back as error frames and the connection stays open.
 */
@Component
class ChatSocketHandler extends AbstractWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(ChatSocketHandler.class);
    private static final String SESSION = "chat.session";
    private static final Duration ROUTING_WAIT = Duration.ofSeconds(2);

    private final AccessTokenVerifier tokens;
    private final ConnectionClaims claims;
    private final LocalSessions sessions;
    private final SessionRecovery recovery;
    private final InboundFrameParser parser;
    private final SubscribableChannel inboundFrameChannel;
    private final ServerFrames frames;
    private final ChatEventBus bus;
    private final TaskScheduler scheduler;
    private final WebSocketSettings settings;
    private final SessionCloser closer;
    private final ConnectionTakeover takeover;
    private final RealtimeMetrics metrics;

    ChatSocketHandler(AccessTokenVerifier tokens, ConnectionClaims claims,
            LocalSessions sessions, SessionRecovery recovery, InboundFrameParser parser,
            SubscribableChannel inboundFrameChannel, ServerFrames frames, ChatEventBus bus,
            @Qualifier("taskScheduler") TaskScheduler scheduler,
            WebSocketSettings settings, SessionCloser closer, ConnectionTakeover takeover, RealtimeMetrics metrics) {
        this.tokens = tokens;
        this.claims = claims;
        this.sessions = sessions;
        this.recovery = recovery;
        this.parser = parser;
        this.inboundFrameChannel = inboundFrameChannel;
        this.frames = frames;
        this.bus = bus;
        this.scheduler = scheduler;
        this.settings = settings;
        this.closer = closer;
        this.takeover = takeover;
        this.metrics = metrics;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) throws Exception {
        VerifiedAccess access;
        try {
            // the token is not kept with the socket once read: its expiry is all that matters later
            access = tokens.verify((String) socket.getAttributes().remove(ChatHandshakeInterceptor.TOKEN));
        } catch (InvalidToken invalid) {
            log.info("ws.auth_failed session={} reason={}", socket.getId(), invalid.getMessage());
            refuse(socket, CloseCodes.INVALID_TOKEN);
            return;
        }
        long userId = access.user().id();
        Long chatId = attribute(socket, ChatHandshakeInterceptor.CHAT_ID, Long.class);
        long admissionStarted = System.nanoTime();
        ChatSession local = chatId == null ? null : sessions.findByUser(chatId, userId);
        if (local != null && takeover.probeHere(chatId, local.id())) {
            // answered from memory: the rule holds here even while the claims table is being restored
            log.info("ws.already_connected session={} user={} chat={}", socket.getId(), userId, chatId);
            refuse(socket, CloseCodes.ALREADY_CONNECTED);
            return;
        }
        ConnectionClaims.Admission admission = chatId == null
                ? ConnectionClaims.Admission.notParticipant()
                : claims.admit(chatId, userId, socket.getId());
        if (admission.outcome() == ConnectionClaims.Outcome.NOT_PARTICIPANT) {
            log.info("ws.access_denied session={} user={} chat={}", socket.getId(), userId, chatId);
            refuse(socket, CloseCodes.ACCESS_DENIED);
            return;
        }
        if (admission.outcome() == ConnectionClaims.Outcome.ALREADY_CONNECTED
                && !takeover.takeOverIfDead(chatId, userId, socket.getId(), admission)) {
            log.info("ws.already_connected session={} user={} chat={}", socket.getId(), userId, chatId);
            refuse(socket, CloseCodes.ALREADY_CONNECTED);
            return;
        }
        RecoveryRequest recovery = RecoveryRequest.of(
                attribute(socket, ChatHandshakeInterceptor.SINCE_SEQ, String.class),
                attribute(socket, ChatHandshakeInterceptor.LAST_MESSAGE_ID, String.class));
        ChatSession session = new ChatSession(socket.getId(), access.user(), chatId,
                UsernamePasswordAuthenticationToken.authenticated(access.user(), null, AuthorityUtils.NO_AUTHORITIES),
                access.expiresAt(), new ChatSession.Socket(
                        new SocketTransport(socket, settings.sendTimeLimit().toMillis(), metrics),
                        closer.closerOf(socket), settings.sendBufferBytes(), settings.sendTimeLimit(),
                        settings.maxFrameBytes()));
        socket.getAttributes().put(SESSION, session);
        try {
            if (open(session, admission.lastSeq(), recovery, admissionStarted)) {
                Long upgradeStarted = attribute(socket, ChatHandshakeInterceptor.UPGRADE_STARTED, Long.class);
                metrics.opened(upgradeStarted == null ? admissionStarted : upgradeStarted);
            } else {
                metrics.refused(CloseCodes.ACCESS_DENIED);
            }
        } catch (RuntimeException failure) {
            log.error("ws.open_failed session={} user={} chat={}", session.id(), userId, chatId, failure);
            metrics.refused(CloseCodes.SERVER_ERROR);
            session.close(CloseCodes.SERVER_ERROR);
        }
    }

    /** Closes a socket refused at open, before it became a session. */
    private void refuse(WebSocketSession socket, CloseStatus status) throws IOException {
        metrics.refused(status);
        socket.close(status);
    }

    /**
     * Joins the chat's feed, greets, replays what the client asked for, and lets live events
     * through. Everything up to the session's start number is replayed from the database, every
     * later event comes through the feed (held back until the replay is out): no gap, no repeat.
     *
     * @return false when the user was removed from the chat meanwhile and the session is closed with 4403
     */
    private boolean open(ChatSession session, long committed, RecoveryRequest recovery, long admissionStarted) {
        LocalSessions.Joined joined = sessions.add(session, committed);
        if (sessions.revokedSince(session.chatId(), session.userId(), admissionStarted)) {
            // removed after the database admitted it, before it joined: its removal found no session
            log.info("ws.access_denied session={} user={} chat={} reason=removed_while_opening", session.id(),
                    session.userId(), session.chatId());
            session.close(CloseCodes.ACCESS_DENIED);
            return false;
        }
        awaitRouting(joined.routed());
        if (joined.firstHere() && !sessions.stillParticipant(session)) {
            // removed on another instance before the chat was routed here: that removal's event
            // never came, the database has it
            log.info("ws.access_denied session={} user={} chat={} reason=removed_before_routing", session.id(),
                    session.userId(), session.chatId());
            session.close(CloseCodes.ACCESS_DENIED);
            return false;
        }
        long start = joined.start();
        if (recovery == null) {
            session.send(frames.connectionEstablished(session.chatId(), start, null));
            session.goLive();
            scheduleExpiry(session);
            log.info("ws.connected session={} user={} chat={} seq={}", session.id(), session.userId(),
                    session.chatId(), start);
            return true;
        }
        if (recovery.kind() == RecoveryRequest.Kind.SINCE_SEQ) {
            session.skipUpTo(recovery.after()); // a client ahead of this instance's view already has those
        }
        SessionRecovery.Replay replay = this.recovery.replay(session.chatId(), session.userId(), recovery, start);
        session.send(frames.connectionEstablished(session.chatId(), start, replay.complete()));
        replay.frames().forEach(session::send);
        session.goLive();
        scheduleExpiry(session);
        log.info("ws.connected session={} user={} chat={} seq={} recovery={} replayed={} recovered={}",
                session.id(), session.userId(), session.chatId(), start, recovery.kind(), replay.frames().size(),
                replay.complete());
        return true;
    }

    /**
     * Greets the client only once events of other instances are routed here, so that none published
     * after the greeting is missed. Bounded: a slow broker delays the greeting, never blocks it.
     */
    private static void awaitRouting(CompletableFuture<Void> routed) {
        try {
            routed.get(ROUTING_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException slowBroker) {
            log.warn("broker.subscribe_slow: greeting without the broker's receipt");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void scheduleExpiry(ChatSession session) {
        Instant expiresAt = session.tokenExpiresAt();
        if (expiresAt == null) {
            return;
        }
        try {
            session.expireAt(scheduler.schedule(() -> {
                log.info("ws.token_expired session={} user={} chat={}", session.id(), session.userId(),
                        session.chatId());
                session.close(CloseCodes.TOKEN_EXPIRED);
            }, expiresAt));
        } catch (TaskRejectedException shuttingDown) {
            // the scheduler stops with the instance, possibly just before shutdown reaches this
            // socket: the client gets the shutdown's close, not an error
            session.close(CloseCodes.SERVICE_RESTART);
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        ChatSession session = (ChatSession) socket.getAttributes().get(SESSION);
        if (session == null) {
            return; // refused at open and being closed
        }
        session.heard();
        String payload;
        try {
            payload = session.assemble(message.getPayload(), message.isLast());
        } catch (TextFrameAssembler.TooBig tooBig) {
            log.info("ws.message_too_big session={} user={} chat={}", session.id(), session.userId(), session.chatId());
            session.close(CloseCodes.TOO_BIG);
            return;
        }
        if (payload == null) {
            return; // more parts to come
        }
        try {
            InboundFrame frame = parser.parse(payload);
            inboundFrameChannel.send(InboundFrames.toMessage(session, frame));
        } catch (NotParticipant removed) {
            accessDenied(session);
        } catch (InvalidFrame | ApiException rejected) {
            reject(session, rejected.getMessage());
        } catch (MessagingException failure) {
            Throwable cause = failure.getCause() == null ? failure : failure.getCause();
            if (cause instanceof NotParticipant) {
                accessDenied(session);
            } else if (cause instanceof ApiException rejected) {
                reject(session, rejected.getMessage());
            } else if (cause instanceof AccessDeniedException) {
                log.info("ws.access_denied session={} user={} chat={}", session.id(), session.userId(),
                        session.chatId());
                session.close(CloseCodes.ACCESS_DENIED);
            } else {
                log.error("ws.frame_failed session={} user={} chat={}", session.id(), session.userId(),
                        session.chatId(), cause);
                reject(session, ServerFrames.INTERNAL_ERROR);
            }
        }
    }

    /** Answers a client frame with an error frame; the connection stays open. */
    private void reject(ChatSession session, String error) {
        metrics.frameRejected(error);
        session.send(frames.error(error));
    }

    private static void accessDenied(ChatSession session) {
        log.info("ws.access_denied session={} user={} chat={}", session.id(), session.userId(), session.chatId());
        session.close(CloseCodes.ACCESS_DENIED);
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) throws Exception {
        log.info("ws.binary_frame session={}", socket.getId());
        ChatSession session = (ChatSession) socket.getAttributes().get(SESSION);
        if (session != null) {
            session.close(CloseCodes.BINARY_NOT_ACCEPTED);
        } else {
            socket.close(CloseCodes.BINARY_NOT_ACCEPTED);
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession socket, PongMessage message) {
        ChatSession session = (ChatSession) socket.getAttributes().get(SESSION);
        if (session != null) {
            session.heard();
        }
    }

    /** Parts of large messages are joined here, so the container's per-socket buffers stay small. */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    public void handleTransportError(WebSocketSession socket, Throwable failure) {
        log.debug("ws.transport_error session={}: {}", socket.getId(), failure.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        metrics.closed(status.getCode());
        ChatSession session = (ChatSession) socket.getAttributes().remove(SESSION);
        if (session == null) {
            return;
        }
        session.closed();
        sessions.remove(session);
        try {
            claims.release(session.chatId(), session.userId(), session.id());
        } catch (RuntimeException databaseDown) {
            log.warn("ws.claim_not_released session={} user={} chat={}: it lapses by itself", session.id(),
                    session.userId(), session.chatId());
        }
        if (session.isTyping()) {
            bus.publish(ChatEvent.transientToOthers(session.chatId(), session.userId(),
                    frames.typing(session.userId(), session.user().username(), false)));
        }
        log.info("ws.disconnected session={} user={} chat={} code={}", session.id(), session.userId(),
                session.chatId(), status.getCode());
    }

    private static <T> T attribute(WebSocketSession socket, String name, Class<T> type) {
        Object value = socket.getAttributes().get(name);
        return type.isInstance(value) ? type.cast(value) : null;
    }
}
