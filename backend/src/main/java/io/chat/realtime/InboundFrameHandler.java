package io.chat.realtime;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;
import org.springframework.stereotype.Component;

import io.chat.chat.ChatService;
import io.chat.fanout.ChatEvent;
import io.chat.fanout.ChatEventBus;
import io.chat.message.MessageService;

/**
 * Acts on a client frame that passed the internal channel's security rules. Message changes and
 * read receipts are broadcast after their transaction commits (see {@link RealtimeEvents}); typing
 * stores nothing, is no event of the chat's sequence, and goes out here.
 */
@Component
class InboundFrameHandler implements MessageHandler {

    private final MessageService messages;
    private final ChatService chats;
    private final ChatEventBus bus;
    private final ServerFrames frames;

    InboundFrameHandler(MessageService messages, ChatService chats, ChatEventBus bus, ServerFrames frames) {
        this.messages = messages;
        this.chats = chats;
        this.bus = bus;
        this.frames = frames;
    }

    @Override
    public void handleMessage(Message<?> message) {
        ChatSession session = InboundFrames.session(message);
        Object frame = message.getPayload();
        long chatId = session.chatId();
        long userId = session.userId();
        if (frame instanceof InboundFrame.SendMessage send) {
            MessageService.Sent sent = messages.send(chatId, userId, send.text(), send.clientId());
            if (!sent.created()) {
                // an idempotent resend: the original, to the sender alone, and no second broadcast
                session.send(frames.resendAnswer(sent.message()));
            }
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
