package io.chat.loadtest;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One phone of the storm: a user with a token of their own, in one chat, that stays connected as
 * the JS client does. When its socket ends it reconnects by {@link ReconnectPolicy}, to whichever
 * instance {@code target} names (a load balancer's choice), asking for what it missed with
 * {@code ?since_seq=}; its sends carry a {@code client_id}, and those not acknowledged (its own
 * copy of the message) are sent again, with the same {@code client_id}, when it is live again.
 * Its {@link SeqLedger} spans all its connections.
 *
 * <p>A client's frames and ends arrive on the sockets' event loops, its sends from the pacer and
 * its reopens from the scheduler: all of them are serialized on the client.
 */
final class StormClient {

    private enum State { OPENING, LIVE, WAITING, GAVE_UP, STOPPED }

    /** What the clients share: where to reconnect, when to, and where their figures go. */
    record Shared(ScheduledExecutorService scheduler, Supplier<URI> target, StormFigures figures) {
    }

    private static final String CLIENT_ID_FIELD = "\"client_id\":\"";

    final ChatApi.User user;
    final long chatId;
    /** Whether its first socket was on the victim: the victim's clients are the storm. */
    final boolean onVictim;
    private final Shared shared;
    private final SeqLedger ledger = new SeqLedger();
    /** Sends not yet acknowledged, by client_id, oldest first. */
    private final Map<String, Send> outbox = new LinkedHashMap<>();
    /** Completes with true at the first greeting, false when the first open fails. */
    final CompletableFuture<Boolean> firstOpen = new CompletableFuture<>();
    private StormSocket socket;
    private URI home;
    private volatile State state = State.OPENING;
    private int attempt;
    private String gaveUpWith;
    /** The first greeting after the kill, for a client whose socket the kill ended; 0 until then. */
    private long liveAgainNanos;
    private long lastDeliveryNanos;

    private record Send(int sequence, String frame) {
    }

    StormClient(ChatApi.User user, long chatId, boolean onVictim, Shared shared) {
        this.user = user;
        this.chatId = chatId;
        this.onVictim = onVictim;
        this.shared = shared;
    }

    /** The first open, to the instance the client was spread to; it is retried there as any open is. */
    synchronized void open(URI instance) {
        home = instance;
        connect(instance);
    }

    boolean isLive() {
        return state == State.LIVE;
    }

    /** Sends a message stamped with its sequence and due time; queued until the next greeting when not live. */
    synchronized void send(int sequence, long dueNanos) {
        String clientId = "st" + sequence;
        String frame = "{\"type\":\"message\",\"text\":\"" + MessageFrames.text(sequence, dueNanos)
                + "\",\"client_id\":\"" + clientId + "\"}";
        outbox.put(clientId, new Send(sequence, frame));
        if (state == State.LIVE) {
            socket.send(frame);
        }
    }

    /** Stops reconnecting and closes the socket with 1000. */
    synchronized void stop() {
        state = State.STOPPED;
        if (socket != null) {
            socket.close();
        }
    }

    /**
     * Cancels a reconnect that is waiting out its delay, keeping an open socket open: after the
     * traffic, so that nothing new is sent while the chats' final seqs are read.
     */
    synchronized void freeze() {
        if (state == State.WAITING) {
            state = State.STOPPED;
        }
    }

    synchronized boolean live() {
        return state == State.LIVE;
    }

    synchronized long liveAgainNanos() {
        return liveAgainNanos;
    }

    /** The close code and reason after which it stopped reconnecting, or null. */
    synchronized String gaveUpWith() {
        return gaveUpWith;
    }

    synchronized int unacknowledged() {
        return outbox.size();
    }

    synchronized long lastSeen() {
        return ledger.lastSeen();
    }

    synchronized long missed(long finalSeq) {
        return ledger.missed(finalSeq);
    }

    synchronized long duplicated() {
        return ledger.duplicated();
    }

    /** The longest time without a delivery from {@code sinceNanos} (the kill) to {@code untilNanos}. */
    synchronized long quietAtEnd(long sinceNanos, long untilNanos) {
        return untilNanos - Math.max(sinceNanos, lastDeliveryNanos);
    }

    private void connect(URI instance) {
        state = State.OPENING;
        // a frame may come before open() returns: it waits for this lock, then reads the holder
        StormSocket[] opening = new StormSocket[1];
        opening[0] = StormSocket.open(instance, chatId, user.access(), ledger.lastSeen(),
                frame -> frame(opening, frame), this::ended);
        socket = opening[0];
    }

    private synchronized void frame(StormSocket[] from, String frame) {
        if (from[0] != socket) {
            return;
        }
        long now = System.nanoTime();
        StormFigures figures = shared.figures();
        switch (MessageFrames.kind(frame)) {
            case CONNECTED -> greeted(MessageFrames.seq(frame), now);
            case MESSAGE -> {
                String clientId = clientId(frame);
                if (clientId != null) {
                    outbox.remove(clientId);
                }
                long seq = MessageFrames.seq(frame);
                // the answer to a resend carries no seq: an acknowledgement, not an event
                if (seq >= 0 && record(seq)) {
                    long[] stamp = MessageFrames.stamp(frame);
                    if (stamp != null) {
                        figures.delivered(onVictim, (int) stamp[0], now - stamp[1], now);
                        long kill = figures.killNanos();
                        if (!onVictim && kill > 0) {
                            figures.quiet(now - Math.max(kill, lastDeliveryNanos));
                        }
                        lastDeliveryNanos = now;
                    }
                }
            }
            case EVENT -> record(MessageFrames.seq(frame));
            case ERROR -> figures.errorFrame();
            case OTHER -> {
            }
        }
    }

    private boolean record(long seq) {
        SeqLedger.Receipt receipt = ledger.received(seq);
        if (receipt == SeqLedger.Receipt.BEFORE_START || receipt == SeqLedger.Receipt.NOT_STARTED) {
            shared.figures().outsideLedger();
        }
        return receipt == SeqLedger.Receipt.NEW;
    }

    private void greeted(long seq, long now) {
        boolean first = !ledger.started();
        ledger.greeted(seq);
        state = State.LIVE;
        attempt = 0;
        if (first) {
            firstOpen.complete(true);
            return;
        }
        StormFigures figures = shared.figures();
        figures.reconnected(now - socket.startedNanos);
        if (liveAgainNanos == 0 && figures.killNanos() > 0) {
            liveAgainNanos = now;
        }
        List<Integer> again = new ArrayList<>();
        for (Send send : outbox.values()) {
            socket.send(send.frame());
            again.add(send.sequence());
        }
        figures.sentAfterReconnect(again);
    }

    private synchronized void ended(StormSocket from, int code, String reason) {
        if (from != socket || state == State.STOPPED || state == State.GAVE_UP) {
            return;
        }
        StormFigures figures = shared.figures();
        if (!firstOpen.isDone()) {
            // the first opens are no storm, but refused ones (1013 Try again later) are retried alike
            long delay = ReconnectPolicy.delayMillis(code, reason, attempt, ThreadLocalRandom.current().nextDouble());
            if (delay < 0) {
                gaveUpWith = code + " " + reason;
                state = State.GAVE_UP;
                firstOpen.complete(false);
                return;
            }
            figures.firstOpenRetried(code + " " + reason);
            attempt++;
            state = State.WAITING;
            shared.scheduler().schedule(this::reopen, delay, TimeUnit.MILLISECONDS);
            return;
        }
        figures.closed(code, reason);
        if (state == State.OPENING) {
            figures.attemptFailed(System.nanoTime() - socket.startedNanos);
        }
        if (onVictim && state == State.LIVE && figures.killNanos() > 0) {
            figures.victimClosed(System.nanoTime());
        }
        long delay = ReconnectPolicy.delayMillis(code, reason, attempt, ThreadLocalRandom.current().nextDouble());
        if (delay < 0) {
            gaveUpWith = code + " " + reason;
            state = State.GAVE_UP;
            return;
        }
        attempt++;
        state = State.WAITING;
        shared.scheduler().schedule(this::reopen, delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void reopen() {
        if (state != State.WAITING) {
            return;
        }
        if (!firstOpen.isDone()) {
            connect(home);
            return;
        }
        shared.figures().attempted();
        connect(shared.target().get());
    }

    /** The client_id of a message frame, or null; the tool's texts have no quotes, so a plain search is safe. */
    static String clientId(String frame) {
        int at = frame.indexOf(CLIENT_ID_FIELD);
        if (at < 0) {
            return null;
        }
        int start = at + CLIENT_ID_FIELD.length();
        int end = frame.indexOf('"', start);
        return end < 0 ? null : frame.substring(start, end);
    }
}
