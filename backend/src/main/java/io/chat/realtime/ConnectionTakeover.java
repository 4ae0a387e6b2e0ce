package io.chat.realtime;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides, when a user opens a connection to a chat where another of theirs holds the claim,
 * whether that other one is alive. A second tab or device is live: the new connection is refused
 * with 4409 at once. A phone that lost its network without closing is not: it has not been heard
 * from for 5 s and does not answer a ping within 2 s; it is closed with 4409
 * {@code Replaced by a new connection} and the new one takes its place, instead of waiting out the
 * 60 s ping timeout. The instance that holds the old connection probes it: this one directly, any
 * other through {@link ProbeChannel}.
 */
@Component
class ConnectionTakeover {

    private static final Logger log = LoggerFactory.getLogger(ConnectionTakeover.class);
    /** Heard from this recently: live without a ping. */
    static final Duration RECENTLY = Duration.ofSeconds(5);
    /** A ping unanswered this long: dead. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

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
     * @return true when the holder was found dead, closed, and the claim moved to {@code sessionId}
     */
    boolean takeOverIfDead(long chatId, long userId, String sessionId, ConnectionClaims.Admission refused) {
        if (refused.holderSession() == null) {
            return false;
        }
        boolean dead = claims.instanceId().equals(refused.holderInstance())
                ? !probeHere(chatId, refused.holderSession())
                : probes.probe(refused.holderInstance(), chatId, refused.holderSession()) == ProbeChannel.Answer.DEAD;
        if (!dead) {
            return false;
        }
        boolean moved = claims.takeOver(chatId, userId, refused.holderSession(), sessionId);
        log.info("ws.replaced chat={} user={} old_session={} new_session={} taken_over={}", chatId, userId,
                refused.holderSession(), sessionId, moved);
        return moved;
    }

    /**
     * Probes a connection of this instance; closes it with 4409 Replaced when it is dead.
     *
     * @return whether it is alive (a connection not open here is not)
     */
    boolean probeHere(long chatId, String sessionId) {
        ChatSession holder = sessions.find(chatId, sessionId);
        if (holder == null) {
            return false; // closed meanwhile, or a claim left behind
        }
        if (holder.isLive(RECENTLY, ANSWER_WITHIN)) {
            return true;
        }
        log.info("ws.dead_connection session={} user={} chat={}: no answer to a ping within {} ms, replaced",
                holder.id(), holder.userId(), chatId, ANSWER_WITHIN.toMillis());
        holder.close(CloseCodes.REPLACED);
        return false;
    }
}
