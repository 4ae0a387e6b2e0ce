package io.chat.realtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;
import org.springframework.stereotype.Component;

import io.chat.chat.ChatService;
import io.chat.chat.NotParticipant;
import io.chat.fanout.ChatEvent;
import io.chat.fanout.ChatEventBus;
import io.chat.message.MessageService;
import io.chat.system.ApiException;

/**
 * Acts on a client frame that passed the internal channel's security rules. Message changes and
 * read receipts are broadcast after their transaction commits (see {@link RealtimeEvents}); typing
 * stores nothing, is no event of the chat's sequence, and goes out here.
 */
@Component
class InboundFrameHandler implements MessageHandler {

    private static final Logger log = LoggerFactory.getLogger(InboundFrameHandler.class);

    private final MessageService messages;
    private final ChatService chats;
    private final ChatEventBus bus;
    private final ServerFrames frames;
    private final RealtimeMetrics metrics;

    InboundFrameHandler(MessageService messages, ChatService chats, ChatEventBus bus, ServerFrames frames,
            RealtimeMetrics metrics) {
        this.messages = messages;
        this.chats = chats;
        this.bus = bus;
        this.frames = frames;
        this.metrics = metrics;
    }

    /** Answers a stored send: nothing (its broadcast is the acknowledgement), the original, or the error. */
    private void stored(ChatSession session, MessageService.Sent sent, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause == null) {
            if (!sent.created()) {
                // an idempotent resend: the original, to the sender alone, and no second broadcast
                session.send(frames.resendAnswer(sent.message()));
            }
        } else if (cause instanceof NotParticipant) {
            log.info("ws.access_denied session={} user={} chat={}", session.id(), session.userId(), session.chatId());
            session.close(CloseCodes.ACCESS_DENIED);
        } else if (cause instanceof ApiException rejected) {
            metrics.frameRejected(rejected.getMessage());
            session.send(frames.error(rejected.getMessage()));
        } else {
            log.error("ws.frame_failed session={} user={} chat={}", session.id(), session.userId(), session.chatId(),
                    cause);
            metrics.frameRejected(ServerFrames.INTERNAL_ERROR);
            session.send(frames.error(ServerFrames.INTERNAL_ERROR));
        }
    }

    @Override
    public void handleMessage(Message<?> message) {
        ChatSession session = InboundFrames.session(message);
        Object frame = message.getPayload();
        long chatId = session.chatId();
        long userId = session.userId();
        if (frame instanceof InboundFrame.SendMessage send) {
            // stored here when the chat is quiet; otherwise not waited for: the socket's next frame is
            // read while this one is stored, so one client's messages share a batch, in order
            session.acquireSendSlot();
            CompletableFuture<MessageService.Sent> sent;
            try {
                sent = messages.sendAsync(chatId, userId, send.text(), send.clientId());
            } catch (RuntimeException rejected) {
                session.releaseSendSlot();
                throw rejected;
            }
            sent.whenComplete((result, failure) -> {
                session.releaseSendSlot();
                stored(session, result, failure);
            });
        } else if (frame instanceof InboundFrame.Typing typing) {
            session.setTyping(typing.isTyping());
            bus.publish(ChatEvent.transientToOthers(chatId, userId,
                    frames.typing(userId, session.user().username(), typing.isTyping())));
        } else if (frame instanceof InboundFrame.ReadMessages) {
            chats.markAllRead(chatId, userId);
        } else if (frame instanceof InboundFrame.EditMessage edit) {
            messages.edit(chatId, userId, edit.messageId(), edit.text());
        } else if (frame instanceof InboundFrame.DeleteMessage delete) {
            messages.delete(chatId, userId, delete.messageId());
        } else {
            throw new IllegalArgumentException("Unhandled frame " + frame.getClass().getSimpleName());
        }
    }
}
