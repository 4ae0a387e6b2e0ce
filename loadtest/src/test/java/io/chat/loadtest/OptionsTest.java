package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaultsFollowTheScenario() {
        Options fanout = Options.parse("fanout");
        assertThat(fanout.members()).isEqualTo(200);
        assertThat(fanout.senders()).isEqualTo(4);
        assertThat(fanout.rate()).isEqualTo(50);
        assertThat(fanout.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(fanout.urls()).containsExactly(URI.create("http://127.0.0.1:8000"));
        assertThat(Options.parse("rooms").rate()).isEqualTo(1);
        assertThat(Options.parse("rooms").chatSize()).isEqualTo(3);
        assertThat(Options.parse("connect").chatSize()).isEqualTo(10);
        assertThat(Options.parse("connect").connections()).isEqualTo(1000);
        assertThat(Options.parse("connect").warmup()).isEqualTo(2000);
        assertThat(Options.parse("connect", "--warmup", "0").warmup()).isZero();
    }

    @Test
    void readsEveryOption() {
        Options options = Options.parse("fanout", "--url", "http://a:1/,http://b:2", "--members", "50", "--senders",
                "5", "--rate", "12.5", "--duration", "3", "--drain", "1", "--server-pid", "42");
        assertThat(options.urls()).containsExactly(URI.create("http://a:1"), URI.create("http://b:2"));
        assertThat(List.of(options.members(), options.senders())).containsExactly(50, 5);
        assertThat(options.rate()).isEqualTo(12.5);
        assertThat(options.drain()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.serverPid()).isEqualTo(42);
    }

    @Test
    void refusesBadInputWithMessagesThatSayWhatToChange() {
        assertThatThrownBy(() -> Options.parse()).hasMessageContaining("scenario comes first");
        assertThatThrownBy(() -> Options.parse("storm")).hasMessageContaining("unknown scenario 'storm'");
        assertThatThrownBy(() -> Options.parse("fanout", "--members", "many"))
                .hasMessage("--members must be a whole number, got 'many'");
        assertThatThrownBy(() -> Options.parse("connect", "--connections", "20000"))
                .hasMessage("--connections must be between 1 and 10000, got 20000");
        assertThatThrownBy(() -> Options.parse("fanout", "--rate", "-3")).hasMessageContaining("positive");
        assertThatThrownBy(() -> Options.parse("fanout", "--colour", "red")).hasMessage("unknown option --colour");
        assertThatThrownBy(() -> Options.parse("fanout", "--members")).hasMessageContaining("expected --name value");
        assertThatThrownBy(() -> Options.parse("fanout", "--url", "ftp://x")).hasMessageContaining("http(s)://");
        assertThatThrownBy(() -> Options.parse("fanout", "--members", "3", "--senders", "4"))
                .hasMessageContaining("cannot exceed");
    }
}
