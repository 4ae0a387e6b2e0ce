package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class StormOptionsTest {

    @Test
    void defaultsAreTenThousandPhonesInChatsOfFiveAndTheLastInstanceCrashing() {
        StormOptions storm = StormOptions.parse("storm", "--victim-pid", "42");
        assertThat(storm.clients()).isEqualTo(10_000);
        assertThat(storm.chatSize()).isEqualTo(5);
        assertThat(storm.chats()).isEqualTo(2000);
        assertThat(storm.urls()).hasSize(2);
        assertThat(storm.victim()).isEqualTo(1);
        assertThat(storm.victimPid()).isEqualTo(42);
        assertThat(storm.kill()).isEqualTo(StormOptions.Kill.CRASH);
        assertThat(storm.rate()).isEqualTo(0.2);
        assertThat(storm.before()).isEqualTo(Duration.ofSeconds(10));
        assertThat(storm.after()).isEqualTo(Duration.ofSeconds(30));
        assertThat(storm.survivors()).containsExactly(storm.urls().get(0));
    }

    @Test
    void readsEveryOption() {
        StormOptions storm = StormOptions.parse("storm", "--url", "http://a:1,http://b:2/,http://c:3",
                "--clients", "502", "--chat-size", "4", "--victim", "0", "--victim-pid", "7", "--kill", "restart",
                "--rate", "0.5", "--before", "3", "--after", "12", "--drain", "2", "--open-concurrency", "50");
        assertThat(storm.victimUrl()).isEqualTo(URI.create("http://a:1"));
        assertThat(storm.survivors()).containsExactly(URI.create("http://b:2"), URI.create("http://c:3"));
        assertThat(storm.clients()).isEqualTo(502);
        assertThat(storm.chats()).isEqualTo(126);
        assertThat(storm.kill()).isEqualTo(StormOptions.Kill.RESTART);
        assertThat(storm.rate()).isEqualTo(0.5);
        assertThat(storm.before()).isEqualTo(Duration.ofSeconds(3));
        assertThat(storm.after()).isEqualTo(Duration.ofSeconds(12));
        assertThat(storm.drain()).isEqualTo(Duration.ofSeconds(2));
        assertThat(storm.openConcurrency()).isEqualTo(50);
    }

    @Test
    void theVictimsProcessIsRequiredSinceTheToolStopsItItself() {
        assertThatThrownBy(() -> StormOptions.parse("storm")).hasMessageContaining("--victim-pid is required");
    }

    @Test
    void refusesWhatCannotMakeAStorm() {
        assertThatThrownBy(() -> StormOptions.parse("storm", "--url", "http://a:1", "--victim-pid", "1"))
                .hasMessageContaining("at least two instances");
        assertThatThrownBy(() -> StormOptions.parse("storm", "--victim", "2", "--victim-pid", "1"))
                .hasMessageContaining("--victim must be between 0 and 1");
        assertThatThrownBy(() -> StormOptions.parse("storm", "--kill", "gently", "--victim-pid", "1"))
                .hasMessageContaining("crash or restart");
        assertThatThrownBy(() -> StormOptions.parse("storm", "--clients", "3", "--victim-pid", "1"))
                .hasMessageContaining("at least --chat-size");
        assertThatThrownBy(() -> StormOptions.parse("storm", "--duration", "3", "--victim-pid", "1"))
                .hasMessageContaining("unknown option --duration");
        assertThatThrownBy(() -> StormOptions.parse("storm", "--rate", "0", "--victim-pid", "1"))
                .hasMessageContaining("positive");
    }
}
