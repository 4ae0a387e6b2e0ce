package io.chat.realtime;

import java.time.Instant;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import io.chat.auth.UserDirectory;
import io.chat.auth.UserSummary;
import io.chat.chat.MessagesMarkedRead;
import io.chat.chat.ParticipantAdded;
import io.chat.chat.ParticipantRemoved;
import io.chat.fanout.ChatEvent;
import io.chat.fanout.ChatEventBus;
import io.chat.message.MessageEvents;
import io.chat.message.MessageView;

/**
 * Broadcasts what the message and chat features did, once their transaction has committed: a
 * {@code message} event therefore always carries a stored id, and events of one chat are published
 * in the order of their numbers or close to it (commits of concurrent senders may be published in
 * either order; receivers put them back in order). Socket and REST changes both pass here, so they
 * are broadcast alike. Each event is stamped with the time it is published, just after its commit,
 * which the event latency metric measures from.
 */
@Component
class RealtimeEvents {

    private final ChatEventBus bus;
    private final ServerFrames frames;
    private final UserDirectory users;

    RealtimeEvents(ChatEventBus bus, ServerFrames frames, UserDirectory users) {
        this.bus = bus;
        this.frames = frames;
        this.users = users;
    }

    @TransactionalEventListener
    void posted(MessageEvents.Posted posted) {
        publishMessage("message", posted.seq(), posted.message());
    }

    @TransactionalEventListener
    void edited(MessageEvents.Edited edited) {
        publishMessage("message_updated", edited.seq(), edited.message());
    }

    @TransactionalEventListener
    void deleted(MessageEvents.Deleted deleted) {
        publishMessage("message_deleted", deleted.seq(), deleted.message());
    }

    /** Sent to the others only: a reader's own connection is not told what it just did. */
    @TransactionalEventListener
    void read(MessagesMarkedRead read) {
        String username = users.find(read.userId()).map(UserSummary::username).orElse("");
        bus.publish(ChatEvent.toOthers(read.chatId(), read.userId(), read.seq(),
                frames.messagesRead(read.seq(), read.userId(), username, read.lastReadMessageId()))
                .committedAt(Instant.now()));
    }

    private void publishMessage(String type, long seq, MessageView message) {
        bus.publish(ChatEvent.toAll(message.chatId(), message.sender().id(), seq, frames.message(type, seq, message))
                .committedAt(Instant.now()));
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
