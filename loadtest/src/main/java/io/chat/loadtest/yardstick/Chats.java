package io.chat.loadtest.yardstick;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.TextMessage;

/**
 * Chats, their sockets and their messages, in memory. A chat's lock orders its messages: the next
 * id and {@code seq} are taken and the frame queued to every socket of the chat under it, so that
 * each socket gets the chat's messages in {@code seq} order; the writes happen after it (see
 * {@link Outbox}). Messages are kept, so that the tool's read-back over REST finds them.
 */
@Component
class Chats {

    /** A message as history gives it back. */
    record StoredMessage(long id, String text, Accounts.Account sender, String timestamp, String clientId) {
    }

    /** One chat: members, open sockets, counters and messages, guarded by the chat itself. */
    static final class Chat {

        final long id;
        final String name;
        final Set<Long> members;
        final List<Outbox> sockets = new CopyOnWriteArrayList<>();
        final List<StoredMessage> messages = new ArrayList<>();
        long seq;

        Chat(long id, String name, Set<Long> members) {
            this.id = id;
            this.name = name;
            this.members = members;
        }
    }

    private final Map<Long, Chat> chats = new ConcurrentHashMap<>();
    private final AtomicLong chatIds = new AtomicLong();
    /** One counter for every chat's messages, read under the chat's lock: ids grow within a chat. */
    private final AtomicLong messageIds = new AtomicLong();

    Chat create(String name, Set<Long> members) {
        Chat chat = new Chat(chatIds.incrementAndGet(), name, members);
        chats.put(chat.id, chat);
        return chat;
    }

    Chat find(long id) {
        return chats.get(id);
    }

    /** Adds a socket to its chat, its greeting queued first, carrying the chat's latest seq. */
    void join(Chat chat, Outbox socket, Frames frames) {
        synchronized (chat) {
            socket.add(frames.greeting(chat.id, chat.seq));
            chat.sockets.add(socket);
        }
        socket.flush();
    }

    void leave(Chat chat, Outbox socket) {
        chat.sockets.remove(socket);
    }

    /** Stores a message and sends it to every socket of the chat, the sender's included. */
    void send(Chat chat, Accounts.Account sender, String text, String clientId, Frames frames) {
        List<Outbox> recipients;
        synchronized (chat) {
            StoredMessage message = new StoredMessage(messageIds.incrementAndGet(), text, sender,
                    Instant.now().toString(), clientId);
            chat.messages.add(message);
            TextMessage frame = frames.message(++chat.seq, chat.id, message);
            recipients = chat.sockets;
            for (Outbox socket : recipients) {
                socket.add(frame);
            }
        }
        // the writes outside the lock: a socket slow to take its frames holds up no other sender
        for (Outbox socket : recipients) {
            socket.flush();
        }
    }

    /** Up to {@code limit} messages of the chat after {@code afterId}, oldest first, and whether more follow. */
    Page history(Chat chat, long afterId, int limit) {
        synchronized (chat) {
            List<StoredMessage> messages = chat.messages;
            int low = 0;
            int high = messages.size();
            while (low < high) { // the first message with an id above afterId
                int middle = (low + high) >>> 1;
                if (messages.get(middle).id() <= afterId) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            int end = Math.min(messages.size(), low + limit);
            return new Page(List.copyOf(messages.subList(low, end)), end < messages.size());
        }
    }

    /** A page of history. */
    record Page(List<StoredMessage> results, boolean hasMore) {
    }
}
