package io.chat.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends of one chat, stored in batches: every send waiting when a transaction starts goes into it,
 * under one chat lock and one commit.
 *
 * <p>Why: the chat's event numbers follow commit order, so each transaction that stores a message
 * holds the chat's row lock until it has committed (see {@code ChatEventLog}). One transaction per
 * message would cap a busy chat at one commit per lock hand-over, and on a loaded machine a lock
 * holder that waits for a CPU makes every other sender of the chat wait with it. Batched, a chat
 * stores as many messages per commit as arrived meanwhile, and a quiet chat pays nothing: a lone
 * send is a batch of one, stored at once by the thread that sent it.
 *
 * <p>No thread of its own: a sender's thread that finds no batch in progress for the chat stores
 * the batch itself (whatever is queued, its own send included), then the next one while sends keep
 * coming; the others wait for their result. Within an instance, one transaction per chat is under
 * way at a time; instances still take turns through the chat's row lock.
 */
final class SendBatches {

    /** Most sends in one transaction: bounds its size and the wait of the first sends in it. */
    static final int MAX_BATCH = 200;
    /** A waiting sender looks again whether it must store the batch itself, in case it was left behind. */
    private static final Duration RECHECK = Duration.ofMillis(2);

    /** One send waiting for its batch. */
    record Pending(long senderId, String text, String clientId, CompletableFuture<MessageService.Sent> result) {

        Pending(long senderId, String text, String clientId) {
            this(senderId, text, clientId, new CompletableFuture<>());
        }
    }

    private final ConcurrentMap<Long, ChatQueue> chats = new ConcurrentHashMap<>();
    private final Store store;

    /** Stores one batch of one chat in one transaction and completes each send's result. */
    interface Store {
        void store(long chatId, List<Pending> batch);
    }

    SendBatches(Store store) {
        this.store = store;
    }

    /** Queues the send and returns its result once its batch has committed (or failed). */
    MessageService.Sent submit(long chatId, Pending send) {
        ChatQueue chat = chats.computeIfAbsent(chatId, ChatQueue::new);
        chat.queue.add(send);
        while (!send.result().isDone()) {
            if (chat.storing.tryLock()) {
                try {
                    storeWhileQueued(chat);
                } finally {
                    chat.storing.unlock();
                }
                if (chat.queue.isEmpty()) {
                    chats.remove(chatId, chat); // another thread re-creates it if it queues meanwhile
                    if (!chat.queue.isEmpty()) {
                        chats.putIfAbsent(chatId, chat);
                    }
                }
            } else {
                awaitOrRecheck(send);
            }
        }
        return result(send);
    }

    private void storeWhileQueued(ChatQueue chat) {
        List<Pending> batch;
        while (!(batch = take(chat.queue)).isEmpty()) {
            try {
                store.store(chat.id, batch);
            } catch (RuntimeException failure) {
                batch.forEach(pending -> pending.result().completeExceptionally(failure));
            }
        }
    }

    private static List<Pending> take(Queue<Pending> queue) {
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
            batch.add(next);
        }
        return batch;
    }

    private static void awaitOrRecheck(Pending send) {
        try {
            send.result().get(RECHECK.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException notYet) {
            // looked at again by the caller's loop
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the message was being stored", interrupted);
        }
    }

    private static MessageService.Sent result(Pending send) {
        try {
            return send.result().join();
        } catch (CompletionException failed) {
            if (failed.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw failed;
        }
    }

    /** The queue of one chat and who stores it now. */
    private static final class ChatQueue {

        final long id;
        final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
        final ReentrantLock storing = new ReentrantLock();

        ChatQueue(long id) {
            this.id = id;
        }
    }
}
