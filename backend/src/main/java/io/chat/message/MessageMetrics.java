package io.chat.message;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts what the message feature did, over the socket and REST alike: messages stored, edited and
 * deleted (once committed, so a rolled-back change is not counted) and sends refused by the rate limit.
 */
@Component
class MessageMetrics {

    static final String STORED = "chat.messages.stored";
    static final String EDITED = "chat.messages.edited";
    static final String DELETED = "chat.messages.deleted";
    static final String RATE_LIMITED = "chat.messages.rate.limited";

    private final Counter stored;
    private final Counter edited;
    private final Counter deleted;
    private final Counter rateLimited;

    MessageMetrics(MeterRegistry registry) {
        stored = Counter.builder(STORED).description("Messages stored (idempotent resends are not)")
                .register(registry);
        edited = Counter.builder(EDITED).description("Messages edited").register(registry);
        deleted = Counter.builder(DELETED).description("Messages deleted").register(registry);
        rateLimited = Counter.builder(RATE_LIMITED)
                .description("Sends refused by the per-user rate limit (chat.limits.messages-per-minute)")
                .register(registry);
    }

    @TransactionalEventListener
    void posted(MessageEvents.Posted posted) {
        stored.increment();
    }

    @TransactionalEventListener
    void edited(MessageEvents.Edited edited) {
        this.edited.increment();
    }

    @TransactionalEventListener
    void deleted(MessageEvents.Deleted deleted) {
        this.deleted.increment();
    }

    /** A send was answered; counts it if the rate limit refused it (the only refusal with 429). */
    void answered(Object outcome) {
        if (outcome instanceof MessageRejected rejected && rejected.status() == HttpStatus.TOO_MANY_REQUESTS) {
            rateLimited.increment();
        }
    }
}
