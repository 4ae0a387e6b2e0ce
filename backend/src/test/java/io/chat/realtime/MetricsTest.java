package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.Metrics;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * Traffic over a real socket moves each meter of {@code /actuator/prometheus} by exactly what
 * happened: opens by outcome, closes by code, messages, edits, deletes, the rate limit, rejected
 * frames, delivered events, and the counts of both latency histograms. Values are compared with a
 * scrape taken before the traffic (the server may be shared with other test classes).
 */
@ChatServerTest
class MetricsTest {

    static final Duration SETTLE = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Test
    void trafficOverTheSocketMovesEachMeterByWhatHappened() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        TestUser carol = api.newUser();
        long chat = api.newChat(alice, bob);
        Metrics before = Metrics.of(port);

        try (WsClient a = WsClient.open(api.wsUrl(chat), alice.access());
                WsClient b = WsClient.open(api.wsUrl(chat), bob.access())) {
            assertThat(Metrics.of(port).value("chat_websocket_sessions"))
                    .isEqualTo(before.value("chat_websocket_sessions") + 2);
            try (WsClient forged = WsClient.connect(api.wsUrl(chat), "not-a-token");
                    WsClient outsider = WsClient.connect(api.wsUrl(chat), carol.access());
                    WsClient second = WsClient.connect(api.wsUrl(chat), alice.access())) {
                assertThat(forged.awaitClose().code()).isEqualTo(4401);
                assertThat(outsider.awaitClose().code()).isEqualTo(4403);
                assertThat(second.awaitClose().code()).isEqualTo(4409);
            }

            long first = 0;
            for (int i = 0; i < 10; i++) {
                a.sendJson(Map.of("type", "message", "text", "message " + i));
                long id = a.nextOfType("message").get("data").get("id").asLong();
                first = first == 0 ? id : first;
                b.nextOfType("message");
            }
            a.sendJson(Map.of("type", "edit_message", "message_id", first, "text", "edited"));
            a.nextOfType("message_updated");
            b.nextOfType("message_updated");
            a.sendJson(Map.of("type", "delete_message", "message_id", first));
            a.nextOfType("message_deleted");
            b.nextOfType("message_deleted");
            a.send("not json");
            assertThat(a.nextOfType("error").get("message").asString()).isEqualTo("Invalid JSON format");
            a.sendJson(Map.of("type", "message", "text", "eleventh"));
            assertThat(a.nextOfType("error").get("message").asString()).startsWith("Rate limit exceeded");
        }

        // 12 events (10 messages, an edit, a delete), each written to both sockets
        Metrics after = Metrics.awaitValue(port, SETTLE, value -> value >= before.value("chat_websocket_closes_total",
                "code", "1000") + 2, "chat_websocket_closes_total", "code", "1000");
        assertThat(delta(before, after, "chat_events_delivered_total")).isEqualTo(24);
        assertThat(delta(before, after, "chat_events_delivery_latency_seconds_count")).isEqualTo(24);
        assertThat(delta(before, after, "chat_events_delivery_latency_seconds_bucket", "le", "+Inf")).isEqualTo(24);
        assertThat(delta(before, after, "chat_events_delivery_latency_seconds_sum")).isPositive().isLessThan(24 * 5.0);

        assertThat(delta(before, after, "chat_websocket_opens_total", "outcome", "established")).isEqualTo(2);
        assertThat(delta(before, after, "chat_websocket_opens_total", "outcome", "4401")).isEqualTo(1);
        assertThat(delta(before, after, "chat_websocket_opens_total", "outcome", "4403")).isEqualTo(1);
        assertThat(delta(before, after, "chat_websocket_opens_total", "outcome", "4409")).isEqualTo(1);
        assertThat(delta(before, after, "chat_websocket_open_latency_seconds_count")).isEqualTo(2);
        assertThat(delta(before, after, "chat_websocket_open_latency_seconds_bucket", "le", "+Inf")).isEqualTo(2);
        assertThat(after.matching("chat_websocket_open_latency_seconds_bucket").size())
                .as("percentile buckets for Prometheus").isGreaterThan(10);

        assertThat(delta(before, after, "chat_websocket_closes_total", "code", "4401")).isEqualTo(1);
        assertThat(delta(before, after, "chat_websocket_closes_total", "code", "4403")).isEqualTo(1);
        assertThat(delta(before, after, "chat_websocket_closes_total", "code", "4409")).isEqualTo(1);
        assertThat(delta(before, after, "chat_websocket_closes_total", "code", "1000")).isEqualTo(2);
        assertThat(after.value("chat_websocket_sessions")).isEqualTo(before.value("chat_websocket_sessions"));

        assertThat(delta(before, after, "chat_messages_stored_total")).isEqualTo(10);
        assertThat(delta(before, after, "chat_messages_edited_total")).isEqualTo(1);
        assertThat(delta(before, after, "chat_messages_deleted_total")).isEqualTo(1);
        assertThat(delta(before, after, "chat_messages_rate_limited_total")).isEqualTo(1);
        assertThat(delta(before, after, "chat_websocket_frames_rejected_total", "error", "invalid_json")).isEqualTo(1);
        assertThat(delta(before, after, "chat_websocket_frames_rejected_total", "error", "rate_limited")).isEqualTo(1);
        assertThat(delta(before, after, "chat_websocket_frames_rejected_total")).isEqualTo(2);
    }

    @Test
    void closeCodesAClientMakesUpAreCountedAsOtherAndAddNoSeries() {
        Api api = new Api(port);
        TestUser alice = api.newUser();
        TestUser bob = api.newUser();
        long chat = api.newChat(alice, bob);
        Metrics before = Metrics.of(port);
        // a user each: the next socket of the same user may find the first one's claim not yet freed
        WsClient.open(api.wsUrl(chat), alice.access()).close(4999, "made up");
        WsClient.open(api.wsUrl(chat), bob.access()).close(3210, "made up");
        Metrics after = Metrics.awaitValue(port, SETTLE, value -> value >= before.value("chat_websocket_closes_total",
                "code", "other") + 2, "chat_websocket_closes_total", "code", "other");
        assertThat(delta(before, after, "chat_websocket_closes_total", "code", "other")).isEqualTo(2);
        assertThat(after.matching("chat_websocket_closes_total")).noneMatch(sample ->
                "4999".equals(sample.labels().get("code")) || "3210".equals(sample.labels().get("code")));
    }

    @Test
    void everyChatMeterNamesTheInstance() {
        Metrics metrics = Metrics.of(port);
        assertThat(metrics.samples()).filteredOn(sample -> sample.name().startsWith("chat_"))
                .isNotEmpty()
                .allSatisfy(sample -> assertThat(sample.labels().get("instance_id")).isNotBlank());
        // JVM and pool meters carry it too, so that a dashboard filters every panel by instance alike
        assertThat(metrics.matching("jvm_memory_used_bytes")).isNotEmpty()
                .allSatisfy(sample -> assertThat(sample.labels()).containsKey("instance_id"));
    }

    private static double delta(Metrics before, Metrics after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
