package io.chat.realtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Open WebSocket sessions on this instance, for operators and load tests ({@code chat_websocket_sessions}). */
@Component
class SessionMetrics {

    SessionMetrics(MeterRegistry registry, LocalSessions sessions) {
        Gauge.builder("chat.websocket.sessions", sessions, LocalSessions::count)
                .description("WebSocket sessions open on this instance")
                .register(registry);
    }
}
