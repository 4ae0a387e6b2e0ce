package io.chat.realtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides, when a user opens a connection to a chat where another of theirs holds the claim,
 * whether that other one is alive: live means it answers a ping sent now within
 * {@link #ANSWER_WITHIN}, however recently it spoke. A second tab or device answers within
 * milliseconds: the new connection is refused with 4409. A phone that lost its network (or froze
 * just after sending) does not: it is closed with 4409 {@code Replaced by a new connection} and the
 * new one takes its place within about 2 s. The instance that holds the old connection probes it:
 * this one directly, any other through {@link ProbeChannel}. When that instance does not answer, its
 * heartbeat decides: an instance that stopped renewing it for {@code chat.cluster.claim-ttl} has
 * crashed, and its connections are dead. One that has already missed a couple of renewals is not
 * probed at all: its heartbeat is watched at once.
 *
 * <p>After a crash, thousands of its clients come back within a second: they all wait on one watch
 * of the crashed instance's heartbeat (one read every {@link #WATCH_EVERY}), not on a probe and a
 * heartbeat read each.
 *
 * <p>Nothing here blocks: every wait (a pong, another instance's answer, a heartbeat going stale)
 * completes a future, and the database work that follows runs on the given executor.
 */
@Component
class ConnectionTakeover {

    private static final Logger log = LoggerFactory.getLogger(ConnectionTakeover.class);
    /** A ping unanswered this long: dead. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    /** How often a suspect instance's heartbeat is read while connections wait on it. */
    static final Duration WATCH_EVERY = Duration.ofMillis(250);
    /** Renewals an instance may miss before it is suspect: watched rather than probed. */
    private static final int MISSED_RENEWALS = 2;

    private final LocalSessions sessions;
    private final ConnectionClaims claims;
    private final ProbeChannel probes;
    /** Per suspect instance: completes with true once it counts as crashed, false once it renewed its heartbeat. */
    private final ConcurrentMap<String, CompletableFuture<Boolean>> watched = new ConcurrentHashMap<>();

    ConnectionTakeover(LocalSessions sessions, ConnectionClaims claims, ProbeChannel probes) {
        this.sessions = sessions;
        this.claims = claims;
        this.probes = probes;
        probes.answerWith(this::probeHere);
    }

    /**
     * Probes the claim's holder and, if it is dead, moves the claim to {@code sessionId}.
     *
     * @param work runs the database steps (the take-over, a heartbeat read), never a probe's thread
     * @return completes with true when the holder was found dead, closed, and the claim moved
     */
    CompletableFuture<Boolean> takeOverIfDead(long chatId, long userId, String sessionId,
            ConnectionClaims.Admission refused, Executor work) {
        String holderInstance = refused.holderInstance();
        String holderSession = refused.holderSession();
        if (holderSession == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> dead;
        if (claims.instanceId().equals(holderInstance)) {
            dead = probeHere(chatId, holderSession).thenApply(alive -> !alive);
        } else if (isSuspect(refused.holderHeartbeatAge())) {
            // missed its renewals: crashed, most likely; if it renews after all, its connection is asked
            dead = crashed(holderInstance, work).thenCompose(gone -> gone ? CompletableFuture.completedFuture(true)
                    : probeElsewhere(holderInstance, chatId, holderSession, work));
        } else {
            dead = probeElsewhere(holderInstance, chatId, holderSession, work);
        }
        return dead.thenApplyAsync(isDead -> isDead && moveClaim(chatId, userId, holderSession, sessionId), work);
    }

    private boolean isSuspect(Duration heartbeatAge) {
        return heartbeatAge == null || heartbeatAge.compareTo(claims.renewInterval().multipliedBy(MISSED_RENEWALS)) > 0;
    }

    /** Asks another instance about its connection; one that does not answer is watched until it renews or counts as crashed. */
    private CompletableFuture<Boolean> probeElsewhere(String instance, long chatId, String session, Executor work) {
        return probes.probe(instance, chatId, session).thenComposeAsync(answer -> switch (answer) {
            case LIVE -> CompletableFuture.completedFuture(false);
            case DEAD -> CompletableFuture.completedFuture(true);
            case NO_ANSWER -> crashed(instance, work);
        }, work);
    }

    private boolean moveClaim(long chatId, long userId, String deadSession, String sessionId) {
        boolean moved = claims.takeOver(chatId, userId, deadSession, sessionId);
        log.info("ws.replaced chat={} user={} old_session={} new_session={} taken_over={}", chatId, userId,
                deadSession, sessionId, moved);
        return moved;
    }

    /**
     * Whether an instance has crashed: true once its heartbeat is {@code chat.cluster.claim-ttl} old
     * (or gone), false as soon as it renews it. Every caller asking about the same instance shares one
     * watch, which reads the heartbeat every {@link #WATCH_EVERY} and ends with the answer.
     */
    private CompletableFuture<Boolean> crashed(String instance, Executor work) {
        CompletableFuture<Boolean> created = new CompletableFuture<>();
        CompletableFuture<Boolean> shared = watched.putIfAbsent(instance, created);
        if (shared != null) {
            return shared;
        }
        created.whenComplete((gone, failure) -> watched.remove(instance, created));
        watch(instance, created, System.nanoTime(), work);
        return created;
    }

    private void watch(String instance, CompletableFuture<Boolean> verdict, long since, Executor work) {
        Duration age;
        try {
            age = claims.heartbeatAge(instance);
        } catch (RuntimeException databaseDown) {
            verdict.completeExceptionally(databaseDown);
            return;
        }
        Duration ttl = claims.ttl();
        if (age == null || age.compareTo(ttl) >= 0) {
            log.info("cluster.instance_gone instance={}: its heartbeat is {} old, its connections count as dead",
                    instance, age == null ? "gone" : age.toMillis() + " ms");
            verdict.complete(true);
        } else if (age.compareTo(claims.renewInterval().multipliedBy(MISSED_RENEWALS)) <= 0
                && System.nanoTime() - since > WATCH_EVERY.toNanos()) {
            log.info("cluster.instance_alive instance={}: it renewed its heartbeat while watched", instance);
            verdict.complete(false);
        } else {
            CompletableFuture.delayedExecutor(WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS, work)
                    .execute(() -> watch(instance, verdict, since, work));
        }
    }

    /**
     * Probes a connection of this instance by pinging it now; closes it with 4409 Replaced when it
     * does not answer within {@link #ANSWER_WITHIN}.
     *
     * @return completes with whether it is alive (a connection not open here is not)
     */
    CompletableFuture<Boolean> probeHere(long chatId, String sessionId) {
        ChatSession holder = sessions.find(chatId, sessionId);
        if (holder == null || holder.isClosing()) {
            return CompletableFuture.completedFuture(false); // closed meanwhile, or a claim left behind
        }
        return holder.probe(ANSWER_WITHIN).thenApply(alive -> {
            if (!alive) {
                log.info("ws.dead_connection session={} user={} chat={}: no answer to a ping within {} ms, replaced",
                        holder.id(), holder.userId(), chatId, ANSWER_WITHIN.toMillis());
                holder.close(CloseCodes.REPLACED);
            }
            return alive;
        });
    }
}
