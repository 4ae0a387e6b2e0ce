package io.chat.realtime;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import io.chat.chat.ChatEventLog;
import io.chat.fanout.ChatEvent;
import io.chat.message.EventHistory;
import io.chat.message.StoredEvent;

/**
 * Where {@link ChatFeed}s turn to when events did not come through the fan-out: the chat's event
 * log in the database, read on threads of its own. Those threads only read the database and hand
 * events to feeds; no other work shares them, so a gap is filled whatever the fan-out and the
 * schedulers are busy with.
 */
@Component
class FeedRepair implements ChatFeed.Repair, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(FeedRepair.class);

    private final EventHistory history;
    private final ChatEventLog eventLog;
    private final ServerFrames frames;
    private final ScheduledThreadPoolExecutor executor;
    private final RealtimeMetrics metrics;

    FeedRepair(EventHistory history, ChatEventLog eventLog, ServerFrames frames, RealtimeMetrics metrics) {
        this.metrics = metrics;
        this.history = history;
        this.eventLog = eventLog;
        this.frames = frames;
        this.executor = new ScheduledThreadPoolExecutor(2, new CustomizableThreadFactory("chat-feed-repair-"));
        this.executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException failure) {
                log.error("feed.repair_failed", failure);
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    void scheduleAtFixedDelay(Runnable task, Duration interval) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException failure) {
                log.warn("feed.sweep_failed: {}", failure.toString());
            }
        }, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** As the fan-out carries them: each frame encoded once. */
    @Override
    public List<ChatEvent> eventsBetween(long chatId, long afterSeq, long upToSeq, int limit) {
        List<ChatEvent> found = history.between(chatId, afterSeq, upToSeq, limit).stream().map(this::toChatEvent)
                .toList();
        metrics.filled(found.size());
        return found;
    }

    /** The latest number of each chat, from the database. */
    Map<Long, Long> latest(Collection<Long> chatIds) {
        return eventLog.latest(chatIds);
    }

    ChatEvent toChatEvent(StoredEvent event) {
        String frame = frames.encode(event);
        return event instanceof StoredEvent.Read
                ? ChatEvent.toOthers(event.chatId(), event.actorId(), event.seq(), frame)
                : ChatEvent.toAll(event.chatId(), event.actorId(), event.seq(), frame);
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
