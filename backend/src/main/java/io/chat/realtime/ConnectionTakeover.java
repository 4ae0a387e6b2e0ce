package io.chat.realtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
 * crashed, and its connections are dead.
 *
 * <p>Nothing here blocks: every wait (a pong, another instance's answer, a heartbeat going stale)
 * completes a future, and the database work that follows runs on the given executor.
 */
@Component
class ConnectionTakeover {

    private static final Logger log = LoggerFactory.getLogger(ConnectionTakeover.class);
    /** A ping unanswered this long: dead. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    /** Past a heartbeat's deadline, before it is read again: clocks and commits need a moment. */
    private static final Duration STALE_MARGIN = Duration.ofMillis(100);

    private final LocalSessions sessions;
    private final ConnectionClaims claims;
    private final ProbeChannel probes;

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
        } else {
            dead = probes.probe(holderInstance, chatId, holderSession).thenComposeAsync(answer -> switch (answer) {
                case LIVE -> CompletableFuture.completedFuture(false);
                case DEAD -> CompletableFuture.completedFuture(true);
                case NO_ANSWER -> crashed(holderInstance, work);
            }, work);
        }
        return dead.thenApplyAsync(isDead -> isDead && moveClaim(chatId, userId, holderSession, sessionId), work);
    }

    private boolean moveClaim(long chatId, long userId, String deadSession, String sessionId) {
        boolean moved = claims.takeOver(chatId, userId, deadSession, sessionId);
        log.info("ws.replaced chat={} user={} old_session={} new_session={} taken_over={}", chatId, userId,
                deadSession, sessionId, moved);
        return moved;
    }

    /**
     * An instance that did not answer a probe: crashed if its heartbeat is (or goes) stale, alive
     * (and its connection taken for live) if it renews it meanwhile. Waits at most the claim TTL.
     */
    private CompletableFuture<Boolean> crashed(String instance, Executor work) {
        Duration age = claims.heartbeatAge(instance);
        Duration ttl = claims.ttl();
        if (age == null || age.compareTo(ttl) >= 0) {
            log.info("cluster.instance_gone instance={}: its connections count as dead", instance);
            return CompletableFuture.completedFuture(true);
        }
        Duration untilStale = ttl.minus(age).plus(STALE_MARGIN);
        return CompletableFuture.supplyAsync(() -> {
            Duration later = claims.heartbeatAge(instance);
            boolean gone = later == null || later.compareTo(ttl) >= 0;
            log.info("cluster.instance_{} instance={}: it did not answer a probe and its heartbeat {}",
                    gone ? "gone" : "alive", instance, gone ? "went stale" : "was renewed");
            return gone;
        }, CompletableFuture.delayedExecutor(untilStale.toMillis(), TimeUnit.MILLISECONDS, work));
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
