package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class YardstickRunTest {

    @Test
    void withoutAYardstickTheArgumentsAreTheServerRunsAlone() {
        YardstickRun runs = YardstickRun.split("fanout", "--rate", "10");
        assertThat(runs.serverArgs()).containsExactly("fanout", "--rate", "10");
        assertThat(runs.yardstickArgs()).isNull();
    }

    @Test
    void theYardstickRunIsTheSameRunWithTheYardsticksUrlAndProcess() {
        YardstickRun runs = YardstickRun.split("connect", "--url", "http://127.0.0.1:8101", "--yardstick",
                "http://127.0.0.1:8100", "--connections", "2000", "--server-pid", "41", "--yardstick-pid", "42");
        assertThat(runs.serverArgs()).containsExactly("connect", "--url", "http://127.0.0.1:8101",
                "--connections", "2000", "--server-pid", "41");
        assertThat(runs.yardstickArgs()).containsExactly("connect", "--connections", "2000",
                "--url", "http://127.0.0.1:8100", "--server-pid", "42");
        Options yardstick = Options.parse(runs.yardstickArgs());
        assertThat(yardstick.urls().get(0)).hasToString("http://127.0.0.1:8100");
        assertThat(yardstick.connections()).isEqualTo(2000);
    }

    @Test
    void theServersProcessIsNeverReadInTheYardsticksRun() {
        YardstickRun runs = YardstickRun.split("hold", "--server-pid", "41", "--yardstick", "http://127.0.0.1:8100");
        assertThat(Options.parse(runs.yardstickArgs()).serverPid()).isZero();
        assertThatThrownBy(() -> YardstickRun.split("hold", "--yardstick-pid", "42"))
                .hasMessage("--yardstick-pid needs --yardstick URL");
    }
}
