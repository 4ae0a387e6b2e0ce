package io.chat.message;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.chat.auth.UserDirectory;
import io.chat.auth.UserSummary;
import io.chat.chat.ChatActivity;
import io.chat.chat.ChatEventLog;
import io.chat.chat.ChatEventType;
import io.chat.system.NotFound;

/**
 * Sends, edits, deletes and reads messages. Callers check membership; this class checks everything
 * else, and every change is committed before anyone hears of it (events are acted on after commit).
 */
@Service
public class MessageService implements ChatActivity {

    private static final Logger log = LoggerFactory.getLogger(MessageService.class);
    private static final Duration RATE_WINDOW = Duration.ofSeconds(60);
    private static final int MAX_CLIENT_ID_LENGTH = 64;

    private final ChatMessageRepository messages;
    private final MessageWrites writes;
    private final UserDirectory users;
    private final MessageLimits limits;
    private final ChatEventLog eventLog;
    private final ApplicationEventPublisher events;

    MessageService(ChatMessageRepository messages, MessageWrites writes, UserDirectory users, MessageLimits limits,
            ChatEventLog eventLog, ApplicationEventPublisher events) {
        this.messages = messages;
        this.writes = writes;
        this.users = users;
        this.limits = limits;
        this.eventLog = eventLog;
        this.events = events;
    }

    /** What a send produced: a new message, or the original one for a resend with the same client id. */
    public record Sent(MessageView message, boolean created) {
    }

    /**
     * Stores a message. Checks run in the contract's order with the rate limit last; a resend with a
     * known client id is answered with the original before the rate limit is looked at, since it
     * stores nothing.
     */
    @Transactional
    public Sent send(long chatId, long senderId, String rawText, String clientId) {
        String text = MessageText.validate(rawText, limits.maxMessageLength());
        if (clientId != null && (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_LENGTH)) {
            throw MessageRejected.invalidClientId();
        }
        writes.lockSender(senderId);
        if (clientId != null) {
            Optional<ChatMessage> original = messages.findByChatIdAndSenderIdAndClientId(chatId, senderId, clientId);
            if (original.isPresent()) {
                return new Sent(view(original.get()), false);
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int cap = limits.messagesPerMinute();
        if (writes.countSentSince(senderId, now.minus(RATE_WINDOW), cap) >= cap) {
            log.info("message.rate_limited chat={} user={}", chatId, senderId);
            throw MessageRejected.rateLimited(limits.messagesPerMinute());
        }
        MessageWrites.Inserted stored = writes.insert(chatId, senderId, text, clientId, now)
                .orElseThrow(() -> new NotFound("Chat not found"));
        MessageView view = new MessageView(stored.id(), text, sender(senderId), now, false, false, chatId, clientId);
        events.publishEvent(new MessageEvents.Posted(view, stored.seq()));
        log.info("message.sent chat={} user={} message={} seq={}", chatId, senderId, stored.id(), stored.seq());
        return new Sent(view, true);
    }

    /**
     * Changes the text of one's own message, as the chat's next event. The chat's lock is taken
     * before the message is read, so a concurrent delete of it is seen rather than overwritten.
     */
    @Transactional
    public MessageView edit(long chatId, long userId, long messageId, String rawText) {
        String text = MessageText.validate(rawText, limits.maxMessageLength());
        long seq = eventLog.next(chatId);
        ChatMessage message = ownMessage(chatId, userId, messageId);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        message.edit(text, now);
        eventLog.append(chatId, seq, ChatEventType.MESSAGE_UPDATED, userId, messageId, null, now);
        MessageView view = view(message);
        events.publishEvent(new MessageEvents.Edited(view, seq));
        log.info("message.edited chat={} user={} message={} seq={}", chatId, userId, messageId, seq);
        return view;
    }

    /** Deletes one's own message softly, as the chat's next event (locked first, as {@link #edit}). */
    @Transactional
    public MessageView delete(long chatId, long userId, long messageId) {
        long seq = eventLog.next(chatId);
        ChatMessage message = ownMessage(chatId, userId, messageId);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        message.delete(now);
        eventLog.append(chatId, seq, ChatEventType.MESSAGE_DELETED, userId, messageId, null, now);
        MessageView view = view(message);
        events.publishEvent(new MessageEvents.Deleted(view, seq));
        log.info("message.deleted chat={} user={} message={} seq={}", chatId, userId, messageId, seq);
        return view;
    }

    /**
     * A page of history in id order. With {@code afterId}, the oldest messages after it; otherwise
     * the newest before {@code beforeId} (or the newest of all). {@code hasMore} says whether more
     * lie beyond the page in the direction it was read.
     */
    @Transactional(readOnly = true)
    public HistoryPage history(long chatId, Long beforeId, Long afterId, int limit) {
        long before = beforeId == null ? Long.MAX_VALUE : beforeId;
        List<ChatMessage> found;
        if (afterId != null) {
            found = messages.findAscending(chatId, afterId, before, Limit.of(limit + 1));
        } else {
            found = messages.findDescending(chatId, 0, before, Limit.of(limit + 1));
        }
        boolean hasMore = found.size() > limit;
        List<ChatMessage> page = new ArrayList<>(found.subList(0, Math.min(limit, found.size())));
        if (afterId == null) {
            Collections.reverse(page);
        }
        return new HistoryPage(page.stream().map(this::view).toList(), hasMore);
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<MessageView> lastMessage(long chatId) {
        return messages.findFirstByChatIdOrderByIdDesc(chatId).map(this::view);
    }

    @Override
    @Transactional(readOnly = true)
    public long unreadCount(long chatId, long userId, long lastReadMessageId) {
        return messages.countUnread(chatId, userId, lastReadMessageId);
    }

    private ChatMessage ownMessage(long chatId, long userId, long messageId) {
        ChatMessage message = messages.findByIdAndChatId(messageId, chatId)
                .filter(found -> !found.isDeleted())
                .orElseThrow(MessageRejected::notFound);
        if (message.senderId() != userId) {
            throw MessageRejected.notAuthor();
        }
        return message;
    }

    private MessageView view(ChatMessage message) {
        return new MessageView(message.id(), message.text(), sender(message.senderId()), message.createdAt(),
                message.isEdited(), message.isDeleted(), message.chatId(), message.clientId());
    }

    private UserSummary sender(long senderId) {
        return users.find(senderId).orElseGet(() -> new UserSummary(senderId, "", "", ""));
    }

    /** A page of history. */
    public record HistoryPage(List<MessageView> results, boolean hasMore) {
    }
}
