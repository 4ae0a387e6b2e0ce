package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    static final String SCRAPE = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.0E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.5E7
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 8.0E7
            jvm_memory_used_bytes_total 3
            chat_websocket_sessions 1000.0
            """;

    @Test
    void sumsTheSamplesOfOneMetricWithTheLabel() {
        assertThat(PrometheusText.sum(SCRAPE, "jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(3.5E7);
        assertThat(PrometheusText.sum(SCRAPE, "jvm_memory_used_bytes", null)).isEqualTo(1.15E8);
        assertThat(PrometheusText.sum(SCRAPE, "chat_websocket_sessions", null)).isEqualTo(1000);
        assertThat(PrometheusText.sum(SCRAPE, "process_resident_memory_bytes", null)).isNaN();
    }
}
