package io.chat.chat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.chat.auth.UserDirectory;
import io.chat.auth.UserSummary;
import io.chat.system.InvalidRequest;
import io.chat.system.NotFound;
import io.chat.system.TextCharacters;
import io.chat.system.TextRules;

/** Creating chats and changing who is in them; read markers. */
@Service
public class ChatService {

    static final int MAX_NAME_LENGTH = 255;
    private static final Logger log = LoggerFactory.getLogger(ChatService.class);

    private final ChatRepository chats;
    private final ParticipantRepository participants;
    private final UserDirectory users;
    private final ChatActivity activity;
    private final ChatEventLog eventLog;
    private final ApplicationEventPublisher events;

    ChatService(ChatRepository chats, ParticipantRepository participants, UserDirectory users, ChatActivity activity,
            ChatEventLog eventLog, ApplicationEventPublisher events) {
        this.chats = chats;
        this.participants = participants;
        this.users = users;
        this.activity = activity;
        this.eventLog = eventLog;
        this.events = events;
    }

    @Transactional
    ChatView create(long callerId, String name, List<Long> participantIds) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw InvalidRequest.field("name", "Ensure this field has no more than 255 characters.");
        }
        if (!TextCharacters.isStorable(trimmed)) {
            throw InvalidRequest.field("name", TextRules.INVALID_CHARACTERS);
        }
        Set<Long> members = new LinkedHashSet<>();
        members.add(callerId);
        for (Long id : participantIds) {
            if (id == null || !users.exists(id)) {
                throw InvalidRequest.field("participant_ids", "Invalid pk \"" + id + "\" - object does not exist.");
            }
            members.add(id);
        }
        Chat chat = chats.save(new Chat(trimmed));
        for (long member : members) {
            participants.save(new Participant(chat.id(), member));
        }
        log.info("chat.created chat={} user={} participants={}", chat.id(), callerId, members.size());
        return view(chat, callerId);
    }

    @Transactional(readOnly = true)
    List<ChatView> listFor(long callerId) {
        List<ChatView> views = new ArrayList<>();
        for (Chat chat : chats.findAllOf(callerId)) {
            views.add(view(chat, callerId));
        }
        return views;
    }

    @Transactional(readOnly = true)
    ChatView get(long callerId, long chatId) {
        return view(visibleChat(callerId, chatId), callerId);
    }

    @Transactional
    UserSummary addParticipant(long callerId, long chatId, Long userId) {
        visibleChat(callerId, chatId);
        if (userId == null) {
            throw InvalidRequest.field("user_id", "This field is required.");
        }
        UserSummary user = users.find(userId).orElseThrow(() ->
                InvalidRequest.field("user_id", "Invalid pk \"" + userId + "\" - object does not exist."));
        if (participants.existsByChatIdAndUserId(chatId, userId)) {
            throw new AlreadyParticipant(userId);
        }
        participants.save(new Participant(chatId, userId));
        events.publishEvent(new ParticipantAdded(chatId, userId));
        log.info("chat.participant_added chat={} user={} by={}", chatId, userId, callerId);
        return user;
    }

    @Transactional
    void removeParticipant(long callerId, long chatId, long userId) {
        visibleChat(callerId, chatId);
        // after every change under way in the chat has committed; a later one sees the user gone
        eventLog.lock(chatId);
        if (participants.deleteByChatIdAndUserId(chatId, userId) == 0) {
            throw new NotFound("User " + userId + " is not a participant of this chat");
        }
        events.publishEvent(new ParticipantRemoved(chatId, userId));
        log.info("chat.participant_removed chat={} user={} by={}", chatId, userId, callerId);
    }

    /**
     * Marks every message of the chat read by the user, as the chat's next event: under the chat's
     * lock no message can commit in between, so the marker is the newest message as of that event.
     * The {@link MessagesMarkedRead} event carries the new marker.
     */
    @Transactional
    public void markAllRead(long chatId, long userId) {
        long seq = eventLog.next(chatId, userId);
        participants.markAllRead(chatId, userId);
        long marker = participants.findByChatIdAndUserId(chatId, userId).map(Participant::lastReadMessageId)
                .orElseThrow(() -> new NotFound("Chat not found"));
        eventLog.append(chatId, seq, ChatEventType.MESSAGES_READ, userId, null, marker,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        events.publishEvent(new MessagesMarkedRead(chatId, userId, marker, seq));
    }

    /** Whether the user is in the chat, read from the database (no cache): for REST calls. */
    @Transactional(readOnly = true)
    public boolean isParticipant(long chatId, long userId) {
        return participants.existsByChatIdAndUserId(chatId, userId);
    }

    /** @throws NotFound when the chat does not exist or the caller is not in it: the two look the same */
    public void requireParticipant(long callerId, long chatId) {
        if (!isParticipant(chatId, callerId)) {
            throw new NotFound("Chat not found");
        }
    }

    private Chat visibleChat(long callerId, long chatId) {
        requireParticipant(callerId, chatId);
        return chats.findById(chatId).orElseThrow(() -> new NotFound("Chat not found"));
    }

    private ChatView view(Chat chat, long callerId) {
        List<UserSummary> members = new ArrayList<>();
        long lastRead = 0;
        for (Participant participant : participants.findByChatIdOrderByJoinedAtAscUserIdAsc(chat.id())) {
            users.find(participant.userId()).ifPresent(members::add);
            if (participant.userId() == callerId) {
                lastRead = participant.lastReadMessageId();
            }
        }
        Optional<?> last = activity.lastMessage(chat.id());
        return new ChatView(chat.id(), chat.name(), members, last.orElse(null),
                activity.unreadCount(chat.id(), callerId, lastRead), chat.createdAt());
    }
}
