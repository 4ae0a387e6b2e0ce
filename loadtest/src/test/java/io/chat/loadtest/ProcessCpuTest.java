package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void addsUserAndSystemTicksEvenWhenTheCommandNameHoldsSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 566 0 0 20 0 40 0 100 0";
        assertThat(ProcessCpu.parseStat(stat)).isEqualTo(18.0);
    }

    @Test
    void readsThisProcessAndNothingForAnAbsentOne() {
        assertThat(ProcessCpu.ownSeconds()).isPositive();
        assertThat(ProcessCpu.seconds(0)).isNaN();
    }
}
