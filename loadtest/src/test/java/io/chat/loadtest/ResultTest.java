package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultTest {

    @Test
    void figuresAreRoundedToTwoDecimalsInTheJsonLine() {
        Result result = new Result("fanout").put("latency_p99_ms", 12.3456).put("lost_deliveries", 0L);

        assertThat(result.jsonLine())
                .isEqualTo("RESULT {\"scenario\":\"fanout\",\"latency_p99_ms\":12.35,\"lost_deliveries\":0}");
    }

    @Test
    void aFigureThatCouldNotBeMeasuredIsNullNotZero() {
        Result result = new Result("connect").put("server_cpu_ms_per_open", Double.NaN);

        assertThat(result.jsonLine())
                .isEqualTo("RESULT {\"scenario\":\"connect\",\"server_cpu_ms_per_open\":null}");
        assertThat(result.table()).contains("server_cpu_ms_per_open  null");
    }

    @Test
    void aCheckThatWasNotMadeIsNull() {
        Result result = new Result("hot-chat").put("seq_gaps", null).put("id_out_of_order", 0L);

        assertThat(result.jsonLine())
                .isEqualTo("RESULT {\"scenario\":\"hot-chat\",\"seq_gaps\":null,\"id_out_of_order\":0}");
        assertThat(result.table()).contains("seq_gaps         null");
    }
}
