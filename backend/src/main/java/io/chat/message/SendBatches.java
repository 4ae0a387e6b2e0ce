package io.chat.message;

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
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Each chat with sends queued has one storer at a time. The send that finds its chat without one
 * is stored by its own thread (unless {@link #MAX_SENDERS_STORING} senders' threads are storing
 * already), with whatever queued by then; sends that keep coming meanwhile are
 * stored by a storer on a small pool of threads of its own, batch after batch, until the chat is
 * quiet again. So a sender's thread is held up by one transaction at most (its socket's next frame
 * is read once that is stored, never after a stream of others' sends).
 *
 * <p>One exception, for quiet chats: a send that finds its chat's first send being stored by that
 * sender's thread, and nothing queued, is stored at once by its own thread too, alongside: its
 * transaction waits for the chat's row lock inside PostgreSQL and goes on the moment the first one
 * commits. Queued, it would wait for that commit, then for the first one's fan-out, then for a
 * storer thread to wake up; in a small chat whose members answer each other, that wait was the
 * difference in the tail latency against a server that did not number events (see
 * docs/benchmarks.md). At most one send of a chat is stored alongside at a time, and none in a chat
 * whose sends go to a storer thread (a busy chat is better served by batches). So within an instance
 * at most two transactions of a chat are under way at a time; instances take turns through the
 * chat's row lock, and one sender's sends through that sender's lock.
 */
final class SendBatches {

    /** Most sends in one transaction: bounds its size and the wait of the first sends in it. */
    static final int MAX_BATCH = 200;
    private static final Logger log = LoggerFactory.getLogger(SendBatches.class);

    /** One send waiting for its batch. */
    record Pending(long senderId, String text, String clientId, CompletableFuture<MessageService.Sent> result) {

        Pending(long senderId, String text, String clientId) {
            this(senderId, text, clientId, new CompletableFuture<>());
        }
    }

    /**
     * Most senders' threads storing at once. Those are the web server's threads, which every socket
     * needs: were the database to stall, no more than these would wait on it, and every other send
     * would queue for the storers instead.
     */
    static final int MAX_SENDERS_STORING = 8;

    private final ConcurrentMap<Long, ChatQueue> chats = new ConcurrentHashMap<>();
    private final Semaphore sendersStoring = new Semaphore(MAX_SENDERS_STORING);
    private final Store store;
    private final Executor storers;

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

    /**
     * @param storers the threads that store: at most one per chat at a time, each as long as its
     *     chat has sends queued; more threads than database connections only wait for them
     */
    SendBatches(Store store, Executor storers) {
        this.store = store;
        this.storers = storers;
    }

    /** Queues the send and returns its result once its batch has committed (or failed). */
    MessageService.Sent submit(long chatId, Pending send) {
        return result(submitAsync(chatId, send));
    }

    /**
     * Queues the send; the result completes once its batch has committed (or failed): on the storer's
     * thread, or before this returns when the chat had no storer and this thread stored it.
     */
    CompletableFuture<MessageService.Sent> submitAsync(long chatId, Pending send) {
        Start[] start = {Start.QUEUED};
        // queued inside compute, atomically with the check whether the chat's storer runs: one
        // storer per chat at a time, and none left idle while a send waits
        ChatQueue chat = chats.compute(chatId, (id, queue) -> {
            ChatQueue present = queue == null ? new ChatQueue(id) : queue;
            if (!present.storing) {
                present.queue.add(send);
                present.storing = true;
                present.storedBySender = sendersStoring.tryAcquire();
                start[0] = present.storedBySender ? Start.HERE : Start.STORER;
            } else if (present.storedBySender && !present.alongside && present.queue.isEmpty()
                    && sendersStoring.tryAcquire()) {
                present.alongside = true;
                start[0] = Start.ALONGSIDE;
            } else {
                present.queue.add(send);
            }
            return present;
        });
        switch (start[0]) {
            case HERE -> {
                try {
                    storeOneBatchHere(chat);
                } finally {
                    sendersStoring.release();
                }
            }
            case STORER -> storers.execute(() -> storeUntilEmpty(chat));
            case ALONGSIDE -> storeAlongside(chat, send);
            case QUEUED -> {
                // the chat's storer takes it
            }
        }
        return send.result();
    }

    /** How a send is stored: see {@link SendBatches}. */
    private enum Start {
        /** By this thread, as the chat's storer. */
        HERE,
        /** By a storer thread, as the chat's storer. */
        STORER,
        /** By this thread, alongside the chat's storer, which is another sender's thread. */
        ALONGSIDE,
        /** By the chat's storer, in its next batch. */
        QUEUED
    }

    /** Stores one send by itself on this thread while the chat's storer stores another batch. */
    private void storeAlongside(ChatQueue chat, Pending send) {
        try {
            storeOrFail(chat.id, List.of(send), true);
        } finally {
            sendersStoring.release();
            chats.computeIfPresent(chat.id, (id, queue) -> {
                if (queue == chat) {
                    chat.alongside = false;
                }
                return queue;
            });
        }
    }

    /**
     * The sender's thread stores the batch of a chat that had no storer, as the chat's storer, and
     * hands whatever queued meanwhile to a storer thread. A quiet chat's send so costs no hand-over
     * between threads, and the sender's thread is held up by one transaction at most, never by a
     * stream of others' sends.
     */
    private void storeOneBatchHere(ChatQueue chat) {
        try {
            storeNextBatch(chat);
        } catch (RuntimeException unexpected) {
            log.error("message.store_failed chat={}", chat.id, unexpected);
        }
        if (!retireUnlessQueued(chat)) {
            storers.execute(() -> storeUntilEmpty(chat));
        }
    }

    /** The chat's storer: stores batches until its queue is empty, then retires (and forgets the chat). */
    private void storeUntilEmpty(ChatQueue chat) {
        do {
            try {
                while (storeNextBatch(chat)) {
                    // batch after batch while sends are queued
                }
            } catch (RuntimeException unexpected) {
                log.error("message.store_failed chat={}", chat.id, unexpected);
            }
        } while (!retireUnlessQueued(chat));
    }

    /** @return true when the chat's queue was empty and its storer retired; false when more came meanwhile */
    private boolean retireUnlessQueued(ChatQueue chat) {
        boolean[] retired = new boolean[1];
        chats.compute(chat.id, (id, queue) -> {
            if (queue != chat || !chat.queue.isEmpty()) {
                // the sends queued meanwhile go to a storer thread: nothing more alongside
                chat.storedBySender = false;
                return queue;
            }
            chat.storing = false;
            retired[0] = true;
            return null;
        });
        return retired[0];
    }

    /**
     * Stores the sends queued now (at most {@link #MAX_BATCH}) in one transaction. The sends of a
     * sender who was busy in another transaction are then stored sender by sender, each waiting for
     * that one sender's lock: a transaction never waits for a lock while it holds another sender's,
     * so batches of chats that share senders do not chain up behind each other.
     *
     * @return false when nothing was queued
     */
    private boolean storeNextBatch(ChatQueue chat) {
        List<Pending> batch = new ArrayList<>();
        if (!take(chat.queue, batch)) {
            return false;
        }
        boolean oneSender = batch.stream().map(Pending::senderId).distinct().count() == 1;
        List<Pending> busy = storeOrFail(chat.id, batch, oneSender);
        Map<Long, List<Pending>> bySender = new LinkedHashMap<>();
        busy.forEach(pending -> bySender.computeIfAbsent(pending.senderId(), id -> new ArrayList<>()).add(pending));
        bySender.values().forEach(sends -> storeOrFail(chat.id, sends, true));
        return true;
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

    private static MessageService.Sent result(CompletableFuture<MessageService.Sent> sent) {
        try {
            return sent.join(); // always completed: by the storer, with a result or a failure
        } catch (CompletionException failed) {
            if (failed.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw failed;
        }
    }

    /**
     * The queue of one chat, whether its storer runs, is a sender's thread, and has a send stored
     * alongside it (the flags changed only inside the map's compute).
     */
    private static final class ChatQueue {

        final long id;
        final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
        boolean storing;
        boolean storedBySender;
        boolean alongside;

        ChatQueue(long id) {
            this.id = id;
        }
    }
}
