package io.chat.realtime;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The WebSocket side's meters, for operators (dashboards, alerts) and load tests: opens by outcome
 * and their latency, closes by code, slow clients, rejected frames, and delivered events with their
 * latency from commit to socket write (the gauge of open sessions is {@link SessionMetrics}). Every
 * counter and timer of this package is named here, and the code that counts calls one method; tags
 * take a few fixed values each (outcomes, close codes, error keys), never client input.
 */
@Component
class RealtimeMetrics {

    static final String OPENS = "chat.websocket.opens";
    static final String OPEN_LATENCY = "chat.websocket.open.latency";
    static final String CLOSES = "chat.websocket.closes";
    static final String SLOW_CLIENT_CLOSES = "chat.websocket.slow.client.closes";
    static final String FRAMES_REJECTED = "chat.websocket.frames.rejected";
    static final String EVENTS_DELIVERED = "chat.events.delivered";
    static final String EVENT_LATENCY = "chat.events.delivery.latency";
    static final String EVENTS_FILLED = "chat.events.filled";

    /** The tag of close codes neither RFC 6455 nor this protocol names. */
    static final String OTHER = "other";
    private static final Set<Integer> PROTOCOL_CLOSE_CODES = Set.of(CloseCodes.INVALID_TOKEN.getCode(),
            CloseCodes.ACCESS_DENIED.getCode(), CloseCodes.ALREADY_CONNECTED.getCode());

    /** The outcome of an open that greeted the client; the refusals are their close codes. */
    static final String ESTABLISHED = "established";

    /** Histogram range: from a local delivery to a long outage of the broker or a client far behind. */
    private static final Duration SHORTEST = Duration.ofMillis(1);
    private static final Duration LONGEST = Duration.ofSeconds(30);

    private final MeterRegistry registry;
    private final Counter established;
    private final Timer openLatency;
    private final Counter slowClientCloses;
    private final Counter eventsDelivered;
    private final Timer eventLatency;
    private final Counter eventsFilled;
    private final Map<Integer, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, Counter> closes = new ConcurrentHashMap<>();
    private final Map<FrameError, Counter> rejections = new ConcurrentHashMap<>();

    RealtimeMetrics(MeterRegistry registry) {
        this.registry = registry;
        established = openCounter(ESTABLISHED);
        // the refusals exist from the start, so that a dashboard's rate() sees their first one
        for (CloseStatus refusal : new CloseStatus[] {CloseCodes.INVALID_TOKEN, CloseCodes.ACCESS_DENIED,
                CloseCodes.ALREADY_CONNECTED, CloseCodes.SERVER_ERROR}) {
            refusals.put(refusal.getCode(), openCounter(Integer.toString(refusal.getCode())));
        }
        openLatency = Timer.builder(OPEN_LATENCY)
                .description("From the upgrade request to the connection_established frame being queued, "
                        + "for opens that succeed (token, membership, the one-connection rule, recovery)")
                .publishPercentileHistogram()
                .minimumExpectedValue(SHORTEST)
                .maximumExpectedValue(LONGEST)
                .register(registry);
        slowClientCloses = Counter.builder(SLOW_CLIENT_CLOSES)
                .description("Sessions closed with 1013 because their client fell more than the send "
                        + "buffer behind")
                .register(registry);
        eventsDelivered = Counter.builder(EVENTS_DELIVERED)
                .description("Live chat events written to a socket (one per recipient)")
                .register(registry);
        eventLatency = Timer.builder(EVENT_LATENCY)
                .description("From an event's commit to its write to a recipient's socket completing, for "
                        + "live events with a commit time (the committing instance's clock)")
                .publishPercentileHistogram()
                .minimumExpectedValue(SHORTEST)
                .maximumExpectedValue(LONGEST)
                .register(registry);
        eventsFilled = Counter.builder(EVENTS_FILLED)
                .description("Events read back from the database to fill a gap in live delivery (the "
                        + "broker lost or delayed them, or was down)")
                .register(registry);
    }

    private Counter openCounter(String outcome) {
        return Counter.builder(OPENS)
                .tag("outcome", outcome)
                .description("WebSocket opens by outcome: established, or the close code that refused them")
                .register(registry);
    }

    /** An open greeted its client; {@code startedNanos} is when its upgrade request came in. */
    void opened(long startedNanos) {
        established.increment();
        openLatency.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** An open refused with this close code (4401, 4403, 4409, 1011, 1013 Try again later). */
    void refused(CloseStatus status) {
        refusals.computeIfAbsent(status.getCode(), code -> openCounter(Integer.toString(code))).increment();
    }

    /**
     * A socket closed, by either side, with this code (as the container reports it; 1006 for a drop).
     * A client may close with any code from 1000 to 4999: only those RFC 6455 or this protocol name
     * get a series of their own, the rest count as {@code other}, so no client can add series.
     */
    void closed(int code) {
        String tag = code >= 1000 && code <= 1015 || PROTOCOL_CLOSE_CODES.contains(code) ? Integer.toString(code)
                : OTHER;
        closes.computeIfAbsent(tag, key -> Counter.builder(CLOSES)
                .tag("code", key)
                .description("WebSocket closes by close code, whichever side closed")
                .register(registry)).increment();
    }

    void slowClientClosed() {
        slowClientCloses.increment();
    }

    /** A client frame was answered with this error frame text. */
    void frameRejected(String errorText) {
        rejections.computeIfAbsent(FrameError.of(errorText), error -> Counter.builder(FRAMES_REJECTED)
                .tag("error", error.key())
                .description("Client frames answered with an error frame, by error")
                .register(registry)).increment();
    }

    /** A frame was written to a socket: counted and timed if it is a live event. */
    void written(OutboundFrame frame) {
        if (!frame.event()) {
            return;
        }
        eventsDelivered.increment();
        Instant committedAt = frame.committedAt();
        if (committedAt != null) {
            // another instance's clock may run a little ahead: counted as immediate rather than lost
            long micros = Math.max(0, ChronoUnit.MICROS.between(committedAt, Instant.now()));
            eventLatency.record(micros, TimeUnit.MICROSECONDS);
        }
    }

    void filled(int events) {
        eventsFilled.increment(events);
    }
}
