package io.chat.realtime;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import io.chat.fanout.ChatEvent;
import io.chat.message.EventHistory;
import io.chat.message.StoredEvent;

/**
 * What a reconnecting client missed, read from the database up to the number its session starts
 * after (everything later reaches it live), capped at {@code chat.recovery.max-events}: the latest
 * ones are kept, since a client that missed more reloads history over REST anyway.
 */
@Component
class SessionRecovery {

    private final EventHistory history;
    private final FeedRepair repair;
    private final ServerFrames frames;
    private final int maxEvents;

    SessionRecovery(EventHistory history, FeedRepair repair, ServerFrames frames, RecoverySettings settings) {
        this.history = history;
        this.repair = repair;
        this.frames = frames;
        this.maxEvents = settings.maxEvents();
    }

    /**
     * The frames to replay, oldest first.
     *
     * @param complete false when more were missed than the cap allows (the greeting's {@code recovered})
     */
    record Replay(List<String> frames, boolean complete) {
    }

    /**
     * @param start the number the session starts after: the replay ends there
     * @param readerId the session's user: its own {@code messages_read} are not replayed, as they are
     *     not sent to it live
     */
    Replay replay(long chatId, long readerId, RecoveryRequest request, long start) {
        return request.kind() == RecoveryRequest.Kind.SINCE_SEQ
                ? events(chatId, readerId, request.after(), start)
                : messages(chatId, request.after(), start);
    }

    private Replay events(long chatId, long readerId, long afterSeq, long start) {
        if (afterSeq >= start) {
            return new Replay(List.of(), true);
        }
        boolean complete = start - afterSeq <= maxEvents;
        long from = complete ? afterSeq : start - maxEvents;
        List<String> replayed = new ArrayList<>();
        while (from < start) {
            List<StoredEvent> page = history.between(chatId, from, start, Math.min(maxEvents, 500));
            if (page.isEmpty()) {
                break;
            }
            for (StoredEvent stored : page) {
                ChatEvent event = repair.toChatEvent(stored);
                if (event.audience() != ChatEvent.Audience.OTHERS || event.userId() != readerId) {
                    replayed.add(event.frame());
                }
            }
            from = page.get(page.size() - 1).seq();
        }
        return new Replay(replayed, complete);
    }

    private Replay messages(long chatId, long afterId, long start) {
        EventHistory.MessagePage page = history.messagesAfter(chatId, afterId, start, maxEvents);
        List<String> replayed = new ArrayList<>(page.messages().size());
        for (EventHistory.SequencedMessage missed : page.messages()) {
            replayed.add(frames.message("message", missed.seq(), missed.message()));
        }
        return new Replay(replayed, page.complete());
    }
}
