package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RatiosTest {

    @Test
    void aConnectRunIsComparedByOpenRateAndOpenTimes() {
        Result server = new Result("connect").put("opens_per_s", 2000.0).put("open_p50_ms", 3.0)
                .put("open_p99_ms", 30.0).put("heap_after_mib", 80.0);
        Result yardstick = new Result("connect").put("opens_per_s", 5000.0).put("open_p50_ms", 1.5)
                .put("open_p99_ms", 12.0).put("heap_after_mib", 40.0);
        assertThat(Ratios.of(server, yardstick)).containsExactly(Map.entry("scenario", "connect"),
                Map.entry("opens_per_s", 0.4), Map.entry("open_p50_ms", 2.0), Map.entry("open_p99_ms", 2.5));
        assertThat(Ratios.line(server, yardstick))
                .isEqualTo("RATIO {\"scenario\":\"connect\",\"opens_per_s\":0.4,\"open_p50_ms\":2.0,\"open_p99_ms\":2.5}");
    }

    @Test
    void aMessagingRunIsComparedByLatencyAndDeliveriesAndASweepByStep() {
        Result server = new Result("hot-chat").put("step", 2).put("deliveries_per_s", 9000.0)
                .put("latency_p50_ms", 2.0).put("latency_p99_ms", 7.0);
        Result yardstick = new Result("hot-chat").put("step", 2).put("deliveries_per_s", 10000.0)
                .put("latency_p50_ms", 0.5).put("latency_p99_ms", 3.0);
        assertThat(Ratios.of(server, yardstick)).containsExactly(Map.entry("scenario", "hot-chat"),
                Map.entry("step", 2), Map.entry("latency_p50_ms", 4.0), Map.entry("latency_p99_ms", 2.333),
                Map.entry("deliveries_per_s", 0.9));
    }

    @Test
    void aFigureMissingOrZeroOnEitherSideHasNoRatio() {
        Result server = new Result("rooms").put("latency_p50_ms", 1.0).put("latency_p99_ms", Double.NaN)
                .put("deliveries_per_s", 100.0);
        Result yardstick = new Result("rooms").put("latency_p50_ms", 0.0).put("latency_p99_ms", 1.0);
        Map<String, Object> ratios = Ratios.of(server, yardstick);
        assertThat(ratios).containsKeys("latency_p50_ms", "latency_p99_ms", "deliveries_per_s");
        assertThat(ratios.get("latency_p50_ms")).isNull();
        assertThat(ratios.get("latency_p99_ms")).isNull();
        assertThat(ratios.get("deliveries_per_s")).isNull();
    }
}
