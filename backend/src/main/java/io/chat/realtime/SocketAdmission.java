package io.chat.realtime;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

import io.chat.auth.AccessTokenVerifier;
import io.chat.auth.InvalidToken;
import io.chat.auth.VerifiedAccess;

/**
 * Admits a new chat socket, in the contract's order: the token (4401), membership (4403), the
 * one-connection rule (4409, after probing a holder), then greets the client with the chat's latest
 * event number, replays what it missed ({@code ?since_seq=} or {@code ?last_message_id=}) and lets
 * live events through.
 *
 * <p>None of it runs on the web server's thread that completed the upgrade: the steps run on
 * {@link AdmissionControl}'s threads, and a step that waits (a probe's pong, another instance's
 * answer, the broker's receipt for a chat new to this instance) completes a future instead of
 * holding a thread. The chat's feed starts after the number the database gave at admission, and
 * whatever other instances commit before the broker routes the chat here is read from the database
 * once it does.
 */
@Component
class SocketAdmission {

    private static final Logger log = LoggerFactory.getLogger(SocketAdmission.class);
    /** Longest a greeting waits for the broker to route the chat here: a slow broker delays it, never blocks it. */
    private static final Duration ROUTING_WAIT = Duration.ofSeconds(2);

    private final AccessTokenVerifier tokens;
    private final ConnectionClaims claims;
    private final LocalSessions sessions;
    private final SessionRecovery recovery;
    private final ServerFrames frames;
    private final TaskScheduler scheduler;
    private final WebSocketSettings settings;
    private final SessionCloser closer;
    private final ConnectionTakeover takeover;
    private final RealtimeMetrics metrics;
    private final AdmissionControl control;

    SocketAdmission(AccessTokenVerifier tokens, ConnectionClaims claims, LocalSessions sessions,
            SessionRecovery recovery, ServerFrames frames, @Qualifier("taskScheduler") TaskScheduler scheduler,
            WebSocketSettings settings, SessionCloser closer, ConnectionTakeover takeover, RealtimeMetrics metrics,
            AdmissionControl control) {
        this.tokens = tokens;
        this.claims = claims;
        this.sessions = sessions;
        this.recovery = recovery;
        this.frames = frames;
        this.scheduler = scheduler;
        this.settings = settings;
        this.closer = closer;
        this.takeover = takeover;
        this.metrics = metrics;
        this.control = control;
    }

    /** One socket's way in: what the upgrade said, and where the socket's frames go once it is in. */
    private record Opening(WebSocketSession socket, PendingOpen pending, String token, Long chatId,
            RecoveryRequest recovery, long upgradeStarted, String sessionAttribute,
            BiConsumer<ChatSession, TextMessage> frameHandler) {

        String id() {
            return socket.getId();
        }
    }

    /**
     * Starts admitting a socket whose upgrade just completed; returns at once.
     *
     * @param frameHandler handles the text the client sent while it was being admitted, once greeted
     */
    void admit(WebSocketSession socket, PendingOpen pending, String sessionAttribute,
            BiConsumer<ChatSession, TextMessage> frameHandler) {
        // the token is not kept with the socket once read: its expiry is all that matters later
        String token = (String) socket.getAttributes().remove(ChatHandshakeInterceptor.TOKEN);
        Long upgradeStarted = attribute(socket, ChatHandshakeInterceptor.UPGRADE_STARTED, Long.class);
        Opening opening = new Opening(socket, pending, token,
                attribute(socket, ChatHandshakeInterceptor.CHAT_ID, Long.class),
                RecoveryRequest.of(attribute(socket, ChatHandshakeInterceptor.SINCE_SEQ, String.class),
                        attribute(socket, ChatHandshakeInterceptor.LAST_MESSAGE_ID, String.class)),
                upgradeStarted == null ? System.nanoTime() : upgradeStarted, sessionAttribute, frameHandler);
        boolean queued = control.tryAdmit(() -> guarded(opening, () -> verify(opening)), () -> tooBusy(opening));
        if (!queued) {
            tooBusy(opening);
        }
    }

    private void tooBusy(Opening opening) {
        log.info("ws.try_again_later session={} waiting={} limit={}", opening.id(), control.waiting(), control.limit());
        refuse(opening, CloseCodes.TRY_AGAIN_LATER);
    }

    /** The token, then the one-connection rule from memory for a holder on this instance. */
    private void verify(Opening opening) {
        VerifiedAccess access;
        try {
            access = tokens.verify(opening.token());
        } catch (InvalidToken invalid) {
            log.info("ws.auth_failed session={} reason={}", opening.id(), invalid.getMessage());
            refuse(opening, CloseCodes.INVALID_TOKEN);
            return;
        }
        Long chatId = opening.chatId();
        if (chatId == null) {
            log.info("ws.access_denied session={} user={} chat=none", opening.id(), access.user().id());
            refuse(opening, CloseCodes.ACCESS_DENIED);
            return;
        }
        long admissionStarted = System.nanoTime();
        ChatSession local = sessions.findByUser(chatId, access.user().id());
        if (local == null) {
            claim(opening, access, admissionStarted);
            return;
        }
        // answered from memory: the rule holds here even while the claims table is being restored
        takeover.probeHere(chatId, local.id()).whenCompleteAsync((alive, failure) -> guarded(opening, () -> {
            if (Boolean.TRUE.equals(alive)) {
                alreadyConnected(opening, access);
            } else {
                claim(opening, access, admissionStarted);
            }
        }), control.steps());
    }

    /** Membership and the claim, in one round trip; a held claim's holder is probed. */
    private void claim(Opening opening, VerifiedAccess access, long admissionStarted) {
        long chatId = opening.chatId();
        long userId = access.user().id();
        ConnectionClaims.Admission admission = claims.admit(chatId, userId, opening.id());
        switch (admission.outcome()) {
            case NOT_PARTICIPANT -> {
                log.info("ws.access_denied session={} user={} chat={}", opening.id(), userId, chatId);
                refuse(opening, CloseCodes.ACCESS_DENIED);
            }
            case ADMITTED -> open(opening, access, admission.lastSeq(), admissionStarted);
            case ALREADY_CONNECTED -> takeover.takeOverIfDead(chatId, userId, opening.id(), admission, control.steps())
                    .whenCompleteAsync((moved, failure) -> guarded(opening, () -> {
                        if (failure != null) {
                            throw new IllegalStateException("take-over failed", failure);
                        }
                        if (moved) {
                            open(opening, access, admission.lastSeq(), admissionStarted);
                        } else {
                            alreadyConnected(opening, access);
                        }
                    }), control.steps());
        }
    }

    private void alreadyConnected(Opening opening, VerifiedAccess access) {
        log.info("ws.already_connected session={} user={} chat={}", opening.id(), access.user().id(), opening.chatId());
        refuse(opening, CloseCodes.ALREADY_CONNECTED);
    }

    /**
     * Joins the chat's feed, greets, replays what the client asked for, and lets live events
     * through. Everything up to the session's start number is replayed from the database, every
     * later event comes through the feed (held back until the replay is out): no gap, no repeat.
     *
     * <p>The greeting says "from here on you get everything", typing included, which the database
     * cannot fill in: so a session whose chat is not routed to this instance yet (its first here, on
     * a relay instance) is greeted once the broker routes the chat here, on no thread meanwhile, or
     * after {@link #ROUTING_WAIT} at most (numbered events are then filled in from the database).
     */
    private void open(Opening opening, VerifiedAccess access, long committed, long admissionStarted) {
        ChatSession session = new ChatSession(opening.id(), access.user(), opening.chatId(),
                UsernamePasswordAuthenticationToken.authenticated(access.user(), null, AuthorityUtils.NO_AUTHORITIES),
                access.expiresAt(), new ChatSession.Socket(
                        new SocketTransport(opening.socket(), settings.sendTimeLimit().toMillis(), metrics),
                        closer.closerOf(opening.socket()), settings.sendBufferBytes(), settings.sendTimeLimit(),
                        settings.maxFrameBytes()));
        LocalSessions.Joined joined = sessions.add(session, committed);
        if (sessions.revokedSince(session.chatId(), session.userId(), admissionStarted)) {
            // removed after the database admitted it, before it joined: its removal found no session
            log.info("ws.access_denied session={} user={} chat={} reason=removed_while_opening", session.id(),
                    session.userId(), session.chatId());
            abandon(session, CloseCodes.ACCESS_DENIED);
            return;
        }
        CompletableFuture<Void> routed = joined.routed();
        if (routed.isDone() && !joined.firstHere()) {
            greetAndAdmit(opening, session, joined.start(), false);
            return;
        }
        routed.copy().completeOnTimeout(null, ROUTING_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((done, failure) -> {
                    if (!routed.isDone()) {
                        log.warn("broker.subscribe_slow session={} chat={}: greeted before the broker's receipt",
                                session.id(), session.chatId());
                    }
                    greetAndAdmit(opening, session, joined.start(), joined.firstHere());
                }, control.steps());
    }

    /**
     * @param recheck read membership again first: the session is its chat's first here, so a removal
     *     published by another instance before the chat was routed here never came
     */
    private void greetAndAdmit(Opening opening, ChatSession session, long start, boolean recheck) {
        try {
            if (recheck && !sessions.stillParticipant(session)) {
                log.info("ws.access_denied session={} user={} chat={} reason=removed_before_routing", session.id(),
                        session.userId(), session.chatId());
                abandon(session, CloseCodes.ACCESS_DENIED);
                return;
            }
            if (session.isClosing()) {
                end(session); // removed (4403) while it waited for the routing; that close is on its way
                return;
            }
            greet(session, start, opening.recovery());
        } catch (RuntimeException failure) {
            log.error("ws.open_failed session={} user={} chat={}", session.id(), session.userId(), session.chatId(),
                    failure);
            abandon(session, CloseCodes.SERVER_ERROR);
            return;
        }
        if (!opening.pending().admitted(session, opening.socket().getAttributes(), opening.sessionAttribute(),
                opening.frameHandler())) {
            // the client left while it was being admitted: nothing will close this session but this
            end(session);
            return;
        }
        metrics.opened(opening.upgradeStarted());
    }

    private void greet(ChatSession session, long start, RecoveryRequest request) {
        if (request == null) {
            session.send(frames.connectionEstablished(session.chatId(), start, null));
            session.goLive();
            scheduleExpiry(session);
            log.info("ws.connected session={} user={} chat={} seq={}", session.id(), session.userId(),
                    session.chatId(), start);
            return;
        }
        if (request.kind() == RecoveryRequest.Kind.SINCE_SEQ) {
            session.skipUpTo(request.after()); // a client ahead of this instance's view already has those
        }
        SessionRecovery.Replay replay = recovery.replay(session.chatId(), session.userId(), request, start);
        session.send(frames.connectionEstablished(session.chatId(), start, replay.complete()));
        replay.frames().forEach(session::send);
        session.goLive();
        scheduleExpiry(session);
        log.info("ws.connected session={} user={} chat={} seq={} recovery={} replayed={} recovered={}",
                session.id(), session.userId(), session.chatId(), start, request.kind(), replay.frames().size(),
                replay.complete());
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

    /** Closes a session that joined its feed but never became the socket's, and gives back its claim. */
    private void abandon(ChatSession session, CloseStatus status) {
        metrics.refused(status);
        session.close(status);
        end(session);
    }

    /** Gives back what an admitted session holds: its place in the feed and its claim. */
    void end(ChatSession session) {
        session.closed();
        sessions.remove(session);
        try {
            claims.release(session.chatId(), session.userId(), session.id());
        } catch (RuntimeException databaseDown) {
            log.warn("ws.claim_not_released session={} user={} chat={}: it lapses by itself", session.id(),
                    session.userId(), session.chatId());
        }
    }

    /** Refuses a socket before it became a session. */
    private void refuse(Opening opening, CloseStatus status) {
        opening.pending().refused();
        metrics.refused(status);
        // on the closer's threads: a client that does not read its close frame holds one of those
        closer.closerOf(opening.socket()).close(status);
    }

    /** A step that fails (the database is down) refuses the socket with 1011 instead of leaving it silent. */
    private void guarded(Opening opening, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException failure) {
            log.error("ws.open_failed session={} chat={}", opening.id(), opening.chatId(), failure);
            refuse(opening, CloseCodes.SERVER_ERROR);
        }
    }

    private static <T> T attribute(WebSocketSession socket, String name, Class<T> type) {
        Object value = socket.getAttributes().get(name);
        return type.isInstance(value) ? type.cast(value) : null;
    }
}
