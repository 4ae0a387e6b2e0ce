package io.chat.realtime;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import io.chat.chat.ParticipantAdded;
import io.chat.chat.ParticipantRemoved;
import io.chat.fanout.ChatEvent;
import io.chat.fanout.ChatEventBus;
import io.chat.message.MessageEvents;
import io.chat.message.MessageView;

/**
 * Broadcasts what the message and chat features did, once their transaction has committed: a
 * {@code message} event therefore always carries a stored id. Socket and REST changes both pass
 * here, so they are broadcast alike.
 */
@Component
class RealtimeEvents {

    private final ChatEventBus bus;
    private final ServerFrames frames;

    RealtimeEvents(ChatEventBus bus, ServerFrames frames) {
        this.bus = bus;
        this.frames = frames;
    }

    @TransactionalEventListener
    void posted(MessageEvents.Posted posted) {
        MessageView message = posted.message();
        bus.publish(ChatEvent.toAll(message.chatId(), message.sender().id(), message.id(),
                frames.message("message", message)));
    }

    @TransactionalEventListener
    void edited(MessageEvents.Edited edited) {
        MessageView message = edited.message();
        bus.publish(ChatEvent.toAll(message.chatId(), message.sender().id(), 0,
                frames.message("message_updated", message)));
    }

    @TransactionalEventListener
    void deleted(MessageEvents.Deleted deleted) {
        MessageView message = deleted.message();
        bus.publish(ChatEvent.toAll(message.chatId(), message.sender().id(), 0,
                frames.message("message_deleted", message)));
    }

    @TransactionalEventListener
    void participantAdded(ParticipantAdded added) {
        bus.publish(ChatEvent.membershipChanged(added.chatId(), added.userId()));
    }

    @TransactionalEventListener
    void participantRemoved(ParticipantRemoved removed) {
        bus.publish(ChatEvent.revoked(removed.chatId(), removed.userId()));
    }
}
