package io.chat.message;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.chat.auth.UserDirectory;
import io.chat.auth.UserSummary;
import io.chat.chat.ChatActivity;
import io.chat.chat.ChatEventLog;
import io.chat.chat.ChatEventType;
import io.chat.chat.NotParticipant;
import io.chat.system.NotFound;
import io.chat.system.TextCharacters;

/**
 * Sends, edits, deletes and reads messages. Callers check membership; this class checks everything
 * else, and every change is committed before anyone hears of it (events are acted on after commit).
 */
@Service
public class MessageService implements ChatActivity, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MessageService.class);
    private static final Duration RATE_WINDOW = Duration.ofSeconds(60);
    private static final int MAX_CLIENT_ID_LENGTH = 64;

    private final ChatMessageRepository messages;
    private final MessageWrites writes;
    private final UserDirectory users;
    private final MessageLimits limits;
    private final ChatEventLog eventLog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final MessageMetrics metrics;
    /** Stores batches: one thread per chat with sends queued, at most this many at once. */
    private static final int STORERS = 16;
    private final ExecutorService storers = Executors.newFixedThreadPool(STORERS,
            new CustomizableThreadFactory("chat-store-"));
    private final SendBatches batches = new SendBatches(this::storeBatch, storers);

    MessageService(ChatMessageRepository messages, MessageWrites writes, UserDirectory users, MessageLimits limits,
            ChatEventLog eventLog, ApplicationEventPublisher events, PlatformTransactionManager transactionManager,
            MessageMetrics metrics) {
        this.metrics = metrics;
        this.messages = messages;
        this.writes = writes;
        this.users = users;
        this.limits = limits;
        this.eventLog = eventLog;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** What a send produced: a new message, or the original one for a resend with the same client id. */
    public record Sent(MessageView message, boolean created) {
    }

    /**
     * Stores a message. Checks run in the contract's order with the rate limit last; a resend with a
     * known client id is answered with the original before the rate limit is looked at, since it
     * stores nothing. The message is stored with the other sends of the chat waiting at that moment,
     * in one transaction (see {@link SendBatches}); this returns once that transaction has committed.
     */
    public Sent send(long chatId, long senderId, String rawText, String clientId) {
        return batches.submit(chatId, validated(senderId, rawText, clientId));
    }

    /**
     * As {@link #send}, without waiting: the checks of the text and client id run now (and throw),
     * the rest once the send's batch is stored; the future completes then, with the result or the
     * rejection (rate limit, not a participant). Sends of one caller are stored in the order given.
     */
    public CompletableFuture<Sent> sendAsync(long chatId, long senderId, String rawText, String clientId) {
        return batches.submitAsync(chatId, validated(senderId, rawText, clientId));
    }

    private SendBatches.Pending validated(long senderId, String rawText, String clientId) {
        String text = MessageText.validate(rawText, limits.maxMessageLength());
        if (clientId != null && (clientId.isEmpty() || clientId.codePointCount(0, clientId.length())
                > MAX_CLIENT_ID_LENGTH || !TextCharacters.isStorable(clientId))) {
            throw MessageRejected.invalidClientId();
        }
        return new SendBatches.Pending(senderId, text, clientId);
    }

    /** Stores one batch of one chat's sends in one transaction, then answers each of them. */
    private List<SendBatches.Pending> storeBatch(long chatId, List<SendBatches.Pending> batch, boolean oneSender) {
        List<Object> outcomes = transactions.execute(status -> decideAndStore(chatId, batch, oneSender, status));
        List<SendBatches.Pending> later = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Object outcome = outcomes.get(i);
            if (outcome == LATER) {
                later.add(batch.get(i));
            } else if (outcome instanceof Sent sent) {
                batch.get(i).result().complete(sent);
            } else {
                metrics.answered(outcome);
                batch.get(i).result().completeExceptionally((RuntimeException) outcome);
            }
        }
        return later;
    }

    /** The outcome of a send whose sender's lock another transaction holds: it goes into the next batch. */
    private static final Object LATER = new Object();

    /**
     * In the batch's transaction: locks its senders, looks up resends and rate limits, stores what
     * passes. Each send's outcome is a {@link Sent}, the exception its sender gets, or {@link #LATER}
     * for the sends of a sender busy in another transaction (a later batch takes them, in order).
     */
    private List<Object> decideAndStore(long chatId, List<SendBatches.Pending> batch, boolean oneSender,
            TransactionStatus transaction) {
        if (batch.size() == 1) {
            return List.of(decideAndStoreLone(chatId, batch.get(0), transaction));
        }
        Map<Long, UserSummary> senders = new TreeMap<>();
        batch.forEach(pending -> senders.computeIfAbsent(pending.senderId(), this::sender));
        Set<Long> locked;
        // the chat's lock before membership is read (below, with the rate limit): a removal holds
        // the same lock, so either it waits for this batch or this batch sees the sender gone
        if (oneSender) {
            writes.lockSenderThenChat(senders.keySet().iterator().next(), chatId);
            locked = senders.keySet();
        } else {
            locked = writes.tryLockSenders(senders.keySet());
            if (locked.isEmpty()) {
                return batch.stream().map(pending -> LATER).toList();
            }
            eventLog.lock(chatId);
        }
        Map<String, MessageView> originals = new HashMap<>();
        List<String> clientIds = batch.stream().map(SendBatches.Pending::clientId).filter(Objects::nonNull).toList();
        if (!clientIds.isEmpty()) {
            for (MessageWrites.Stored stored : writes.findByClientIds(chatId, clientIds, senders)) {
                originals.put(key(stored.message().sender().id(), stored.message().clientId()), stored.message());
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int cap = limits.messagesPerMinute();
        Map<Long, Integer> sent = writes.countSentSince(chatId, senders.keySet(), now.minus(RATE_WINDOW), cap);

        List<Object> outcomes = new ArrayList<>(batch.size());
        List<Integer> accepted = new ArrayList<>();
        Map<String, Integer> acceptedByKey = new HashMap<>();
        for (SendBatches.Pending pending : batch) {
            String key = pending.clientId() == null ? null : key(pending.senderId(), pending.clientId());
            if (!locked.contains(pending.senderId())) {
                outcomes.add(LATER);
            } else if (sent.getOrDefault(pending.senderId(), -1) < 0) {
                outcomes.add(new NotParticipant());
            } else if (key != null && originals.containsKey(key)) {
                outcomes.add(new Sent(originals.get(key), false));
            } else if (key != null && acceptedByKey.containsKey(key)) {
                outcomes.add(acceptedByKey.get(key)); // the same resend twice in one batch: answered below
            } else if (sent.getOrDefault(pending.senderId(), 0) >= cap) {
                log.info("message.rate_limited chat={} user={}", chatId, pending.senderId());
                outcomes.add(MessageRejected.rateLimited(cap));
            } else {
                sent.merge(pending.senderId(), 1, Integer::sum);
                if (key != null) {
                    acceptedByKey.put(key, outcomes.size());
                }
                accepted.add(outcomes.size());
                outcomes.add(null);
            }
        }
        if (accepted.isEmpty()) {
            return outcomes;
        }
        List<MessageWrites.Inserted> inserted = writes.insert(chatId,
                accepted.stream().map(i -> batch.get(i).senderId()).toList(),
                accepted.stream().map(i -> batch.get(i).text()).toList(),
                accepted.stream().map(i -> batch.get(i).clientId()).toList(), now);
        if (inserted.size() != accepted.size()) {
            throw new NotFound("Chat not found");
        }
        for (int n = 0; n < accepted.size(); n++) {
            int index = accepted.get(n);
            SendBatches.Pending pending = batch.get(index);
            MessageWrites.Inserted stored = inserted.get(n);
            MessageView view = new MessageView(stored.id(), pending.text(), senders.get(pending.senderId()), now,
                    false, false, chatId, pending.clientId());
            outcomes.set(index, new Sent(view, true));
            events.publishEvent(new MessageEvents.Posted(view, stored.seq()));
            log.info("message.sent chat={} user={} message={} seq={}", chatId, pending.senderId(), stored.id(),
                    stored.seq());
        }
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof Integer first) {
                outcomes.set(i, new Sent(((Sent) outcomes.get(first)).message(), false));
            }
        }
        return outcomes;
    }

    /**
     * {@link #decideAndStore} for a batch of one send: the same checks in the same order, in two
     * statements after the transaction's start instead of four. The chat's number is taken before
     * the checks (with the locks), so a rejected send rolls the transaction back to give it back.
     */
    private Object decideAndStoreLone(long chatId, SendBatches.Pending pending, TransactionStatus transaction) {
        UserSummary sender = sender(pending.senderId());
        // the locks in a statement of their own: the next one must start once they are held, so
        // that it reads membership as a removal that committed meanwhile left it
        OptionalLong seq = writes.lockSenderAndTakeNumber(sender.id(), chatId);
        if (seq.isEmpty()) {
            return new NotParticipant();
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int cap = limits.messagesPerMinute();
        MessageWrites.LoneSend lone = writes.storeLoneSend(chatId, seq.getAsLong(), sender, pending.text(),
                pending.clientId(), now, now.minus(RATE_WINDOW), cap);
        if (lone.inserted() == null) {
            transaction.setRollbackOnly();
        }
        if (!lone.participant()) {
            return new NotParticipant();
        }
        if (lone.original() != null) {
            return new Sent(lone.original().message(), false);
        }
        if (lone.sentBefore() >= cap) {
            log.info("message.rate_limited chat={} user={}", chatId, sender.id());
            return MessageRejected.rateLimited(cap);
        }
        if (lone.inserted() == null) {
            // every check passed, so the insert ran: never seen, and then nothing is acknowledged
            throw new IllegalStateException("message not stored in chat " + chatId);
        }
        MessageView view = new MessageView(lone.inserted().id(), pending.text(), sender, now, false, false, chatId,
                pending.clientId());
        events.publishEvent(new MessageEvents.Posted(view, lone.inserted().seq()));
        log.info("message.sent chat={} user={} message={} seq={}", chatId, sender.id(), lone.inserted().id(),
                lone.inserted().seq());
        return new Sent(view, true);
    }

    private static String key(long senderId, String clientId) {
        return senderId + ":" + clientId;
    }

    /**
     * Changes the text of one's own message, as the chat's next event. The chat's lock is taken
     * before the message is read, so a concurrent delete of it is seen rather than overwritten.
     */
    @Transactional
    public MessageView edit(long chatId, long userId, long messageId, String rawText) {
        String text = MessageText.validate(rawText, limits.maxMessageLength());
        long seq = eventLog.next(chatId, userId);
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
        long seq = eventLog.next(chatId, userId);
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
    public void destroy() {
        storers.shutdown();
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
