package io.chat.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * coming; the others wait for their result, parked, not polling. Within an instance, one transaction per chat is under
 * way at a time; instances still take turns through the chat's row lock.
 */
final class SendBatches {

    /** Most sends in one transaction: bounds its size and the wait of the first sends in it. */
    static final int MAX_BATCH = 200;
    /**
     * A waiting sender looks again whether it must store the batch itself. Only a safety net: the
     * thread that stores always looks at the queue once more after letting go (see {@link #drain}).
     */
    private static final Duration RECHECK = Duration.ofMillis(50);

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

        /**
         * @param oneSender true for a batch of one sender's sends, which waits for that sender's lock
         *     (holding no other); otherwise senders busy in another transaction are not waited for
         * @return the sends left out because their sender was busy (never for {@code oneSender}), in
         *     order; their results are not completed
         */
        List<Pending> store(long chatId, List<Pending> batch, boolean oneSender);
    }

    SendBatches(Store store) {
        this.store = store;
    }

    /** Queues the send and returns its result once its batch has committed (or failed). */
    MessageService.Sent submit(long chatId, Pending send) {
        // queued inside compute, so that a queue is never dropped from the map with a send in it:
        // two queues of one chat would store in two transactions that wait for each other's locks
        ChatQueue chat = chats.compute(chatId, (id, queue) -> {
            ChatQueue present = queue == null ? new ChatQueue(id) : queue;
            present.queue.add(send);
            return present;
        });
        drain(chat);
        while (!send.result().isDone()) {
            awaitOrRecheck(send);
            drain(chat);
        }
        chats.computeIfPresent(chatId, (id, queue) ->
                queue == chat && queue.queue.isEmpty() && !queue.storing.isLocked() ? null : queue);
        return result(send);
    }

    /**
     * Stores what is queued unless another thread already does. The thread that stores looks at the
     * queue again after letting go of the lock, so a send queued while it finished is never left
     * waiting for nobody.
     */
    private void drain(ChatQueue chat) {
        while (!chat.queue.isEmpty() && chat.storing.tryLock()) {
            try {
                storeWhileQueued(chat);
            } finally {
                chat.storing.unlock();
            }
        }
    }

    /**
     * Stores batch after batch while sends are queued. The sends of a sender who was busy in another
     * transaction are then stored sender by sender, each waiting for that one sender's lock: a
     * transaction never waits for a lock while it holds another sender's, so batches of chats that
     * share senders do not chain up behind each other.
     */
    private void storeWhileQueued(ChatQueue chat) {
        List<Pending> batch = new ArrayList<>();
        while (take(chat.queue, batch)) {
            boolean oneSender = batch.stream().map(Pending::senderId).distinct().count() == 1;
            List<Pending> busy = storeOrFail(chat.id, batch, oneSender);
            Map<Long, List<Pending>> bySender = new LinkedHashMap<>();
            busy.forEach(pending -> bySender.computeIfAbsent(pending.senderId(), id -> new ArrayList<>()).add(pending));
            bySender.values().forEach(sends -> storeOrFail(chat.id, sends, true));
            batch = new ArrayList<>();
        }
    }

    private List<Pending> storeOrFail(long chatId, List<Pending> batch, boolean oneSender) {
        try {
            return store.store(chatId, batch, oneSender);
        } catch (RuntimeException failure) {
            batch.forEach(pending -> pending.result().completeExceptionally(failure));
            return List.of();
        }
    }

    /** @return false when nothing was queued */
    private static boolean take(Queue<Pending> queue, List<Pending> batch) {
        Pending next;
        while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
            batch.add(next);
        }
        return !batch.isEmpty();
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
