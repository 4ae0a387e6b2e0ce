package io.chat.realtime;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

import io.chat.chat.NotParticipant;
import io.chat.fanout.ChatEvent;
import io.chat.fanout.ChatEventBus;
import io.chat.system.ApiException;

/**
 * The raw-protocol adapter: one instance serves every connection to {@code /ws/chat/{chat_id}/}.
 * An upgraded socket is handed to {@link SocketAdmission}, which admits (or refuses) it on threads of
 * its own, so that this returns at once; text the client sends before its greeting waits in its
 * {@link PendingOpen}. Each text frame is parsed, validated and sent through the secured internal
 * channel; failures come back as error frames and the connection stays open.
 */
@Component
class ChatSocketHandler extends AbstractWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(ChatSocketHandler.class);
    private static final String SESSION = "chat.session";
    private static final String PENDING = "chat.pending";

    private final SocketAdmission admission;
    private final InboundFrameParser parser;
    private final SubscribableChannel inboundFrameChannel;
    private final ServerFrames frames;
    private final ChatEventBus bus;
    private final WebSocketSettings settings;
    private final RealtimeMetrics metrics;

    ChatSocketHandler(SocketAdmission admission, InboundFrameParser parser, SubscribableChannel inboundFrameChannel,
            ServerFrames frames, ChatEventBus bus, WebSocketSettings settings, RealtimeMetrics metrics) {
        this.admission = admission;
        this.parser = parser;
        this.inboundFrameChannel = inboundFrameChannel;
        this.frames = frames;
        this.bus = bus;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        PendingOpen pending = new PendingOpen();
        socket.getAttributes().put(PENDING, pending);
        admission.admit(socket, pending, SESSION, this::handleText);
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        ChatSession session = (ChatSession) socket.getAttributes().get(SESSION);
        if (session == null) {
            PendingOpen pending = (PendingOpen) socket.getAttributes().get(PENDING);
            if (pending == null) {
                return;
            }
            switch (pending.hold(message, settings.maxFrameBytes())) {
                case KEPT -> {
                    return; // handed on after the greeting
                }
                case TOO_MUCH -> {
                    log.info("ws.message_too_big session={}: before its greeting", socket.getId());
                    pending.refused();
                    closeNow(socket, CloseCodes.TOO_BIG);
                    return;
                }
                case SETTLED -> session = pending.session();
            }
            if (session == null) {
                return; // refused at open and being closed
            }
        }
        handleText(session, message);
    }

    /** A part of a text frame of an admitted session. */
    private void handleText(ChatSession session, TextMessage message) {
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
            PendingOpen pending = (PendingOpen) socket.getAttributes().get(PENDING);
            if (pending != null) {
                pending.refused();
            }
            closeNow(socket, CloseCodes.BINARY_NOT_ACCEPTED);
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
        PendingOpen pending = (PendingOpen) socket.getAttributes().get(PENDING);
        // through the pending open: if the admission is still running, it sees the close and ends the session
        ChatSession session = pending != null ? pending.closed() : (ChatSession) socket.getAttributes().get(SESSION);
        if (session == null) {
            return;
        }
        admission.end(session);
        if (session.isTyping()) {
            bus.publish(ChatEvent.transientToOthers(session.chatId(), session.userId(),
                    frames.typing(session.userId(), session.user().username(), false)));
        }
        log.info("ws.disconnected session={} user={} chat={} code={}", session.id(), session.userId(),
                session.chatId(), status.getCode());
    }

    /** Closes a socket that has no session (yet): nothing else is being written to it. */
    private static void closeNow(WebSocketSession socket, CloseStatus status) {
        try {
            socket.close(status);
        } catch (IOException | RuntimeException alreadyGone) {
            log.debug("ws.close_failed session={}: {}", socket.getId(), alreadyGone.toString());
        }
    }
}
