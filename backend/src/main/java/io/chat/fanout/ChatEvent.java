package io.chat.fanout;

import java.time.Instant;

/**
 * One event of one chat, as it crosses the fan-out: the frame is encoded once, by the publisher,
 * and every receiving session gets the same text.
 *
 * @param chatId the chat whose sessions receive it
 * @param audience who among the chat's sessions gets it
 * @param userId the actor: excluded for {@link Audience#OTHERS}, the one closed for {@link Audience#REVOKED}
 * @param seq the event's number in the chat's sequence, or 0 for events outside it (typing, control
 *     events): instances deliver numbered events in this order, once each, and fill gaps from the database
 * @param frame the JSON text frame, or empty for control events
 * @param committedAt when the change was committed, as the instance that committed it saw it just
 *     after the commit; it travels beside the frame, never in it, for the event latency metric. Null
 *     when unknown: events outside the sequence (typing, control events) and events read back from
 *     the database
 */
public record ChatEvent(long chatId, Audience audience, long userId, long seq, String frame, Instant committedAt) {

    /** An event without a commit time (see {@link #committedAt(Instant)}). */
    public ChatEvent(long chatId, Audience audience, long userId, long seq, String frame) {
        this(chatId, audience, userId, seq, frame, null);
    }

    /** This event, stamped with the time of its commit. */
    public ChatEvent committedAt(Instant at) {
        return new ChatEvent(chatId, audience, userId, seq, frame, at);
    }

    /** Who receives an event. */
    public enum Audience {
        /** every session of the chat, the actor's included (messages, edits, deletes) */
        ALL,
        /** every session but the actor's (typing, messages_read) */
        OTHERS,
        /** no frame: the user lost access to the chat and their sessions in it are closed */
        REVOKED,
        /** no frame: the participant list changed and cached membership must be reloaded */
        MEMBERSHIP_CHANGED
    }

    public static ChatEvent toAll(long chatId, long actorId, long seq, String frame) {
        return new ChatEvent(chatId, Audience.ALL, actorId, seq, frame);
    }

    public static ChatEvent toOthers(long chatId, long actorId, long seq, String frame) {
        return new ChatEvent(chatId, Audience.OTHERS, actorId, seq, frame);
    }

    /** An event outside the chat's sequence (typing): delivered as it comes, never replayed. */
    public static ChatEvent transientToOthers(long chatId, long actorId, String frame) {
        return new ChatEvent(chatId, Audience.OTHERS, actorId, 0, frame);
    }

    /** Whether the event has a number in the chat's sequence. */
    public boolean isSequenced() {
        return seq > 0;
    }

    public static ChatEvent revoked(long chatId, long userId) {
        return new ChatEvent(chatId, Audience.REVOKED, userId, 0, "");
    }

    public static ChatEvent membershipChanged(long chatId, long userId) {
        return new ChatEvent(chatId, Audience.MEMBERSHIP_CHANGED, userId, 0, "");
    }
}
