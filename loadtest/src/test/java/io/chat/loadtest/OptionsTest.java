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
        assertThat(fanout.rates()).containsExactly(50.0);
        assertThat(fanout.readBack()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aHotChatIsManyConcurrentWritersToOneChat() {
        Options hot = Options.parse("hot-chat");
        assertThat(List.of(hot.members(), hot.senders())).containsExactly(200, 20);
        assertThat(hot.rate()).isEqualTo(1000);
        assertThat(hot.rates()).containsExactly(1000.0);
        assertThat(Options.parse("hot-chat", "--rate", "300").rates()).containsExactly(300.0);
    }

    @Test
    void aHotChatSweepsItsRatesInSteps() {
        Options sweep = Options.parse("hot-chat", "--rates", "500, 1000,2000.5", "--read-back", "0");
        assertThat(sweep.rates()).containsExactly(500.0, 1000.0, 2000.5);
        assertThat(sweep.rate()).isEqualTo(500);
        assertThat(sweep.readBack()).isZero();
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
    void clientsOfferCompressionAsBrowsersDoUnlessToldNot() {
        assertThat(Options.parse("fanout").offerCompression()).isTrue();
        assertThat(Options.parse("connect", "--compression", "none").offerCompression()).isFalse();
        assertThatThrownBy(() -> Options.parse("rooms", "--compression", "gzip"))
                .hasMessage("--compression must be one of offer, none, got 'gzip'");
    }

    @Test
    void holdSpreadsItsSocketsOverOneSourceAddressPer25000() {
        Options hold = Options.parse("hold", "--connections", "100000");
        assertThat(hold.connections()).isEqualTo(100_000);
        assertThat(hold.sources()).isEqualTo(4);
        assertThat(hold.hold()).hasSeconds(10);
        assertThat(Options.parse("hold").connections()).isEqualTo(10_000);
        assertThat(Options.parse("hold").sources()).isEqualTo(1);
        assertThat(Options.parse("hold", "--connections", "30000", "--sources", "8", "--hold", "60").sources())
                .isEqualTo(8);
        assertThatThrownBy(() -> Options.parse("hold", "--connections", "300000"))
                .hasMessage("--connections must be between 1 and 200000, got 300000");
        assertThatThrownBy(() -> Options.parse("connect", "--hold", "5"))
                .hasMessage("--hold is for the hold scenario only");
        assertThatThrownBy(() -> Options.parse("fanout", "--sources", "2"))
                .hasMessage("--sources is for connect and hold only");
    }

    @Test
    void refusesBadInputWithMessagesThatSayWhatToChange() {
        assertThatThrownBy(() -> Options.parse()).hasMessageContaining("scenario comes first");
        assertThatThrownBy(() -> Options.parse("storm"))
                .hasMessage("unknown scenario 'storm': use fanout, rooms, hot-chat, slow-consumer, connect, hold");
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
        assertThatThrownBy(() -> Options.parse("hot-chat", "--members", "10"))
                .hasMessage("--senders (20) cannot exceed --members (10)");
        assertThatThrownBy(() -> Options.parse("fanout", "--rate", "fast"))
                .hasMessage("--rate must be a number, got 'fast'");
        assertThatThrownBy(() -> Options.parse("fanout", "--read-back", "-1"))
                .hasMessage("--read-back must be between 0 and 3600, got -1");
    }

    @Test
    void connectGivesEachSocketItsOwnUserUnlessUsersAreShared() {
        assertThat(Options.parse("connect").sharedUsers()).isZero();
        assertThat(Options.parse("connect").chatSize()).isEqualTo(10);
        assertThat(Options.parse("hold", "--shared-users", "10").sharedUsers()).isEqualTo(10);
        assertThatThrownBy(() -> Options.parse("fanout", "--shared-users", "10"))
                .hasMessage("--shared-users is for connect and hold only");
        assertThatThrownBy(() -> Options.parse("connect", "--shared-users", "10", "--chat-size", "5"))
                .hasMessageContaining("either --shared-users");
        assertThatThrownBy(() -> Options.parse("connect", "--shared-users", "0"))
                .hasMessage("--shared-users must be between 1 and 10000, got 0");
    }

    @Test
    void refusesRatesThatCannotBeSwept() {
        assertThatThrownBy(() -> Options.parse("fanout", "--rates", "1,2"))
                .hasMessage("--rates is for hot-chat only; fanout takes one --rate");
        assertThatThrownBy(() -> Options.parse("hot-chat", "--rate", "5", "--rates", "1,2"))
                .hasMessage("give either --rate or --rates, not both");
        assertThatThrownBy(() -> Options.parse("hot-chat", "--rates", "100,,300"))
                .hasMessage("each of --rates must be a number, got ''");
        assertThatThrownBy(() -> Options.parse("hot-chat", "--rates", "100,0"))
                .hasMessage("each of --rates must be a positive number, got 0");
        String tooMany = "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21";
        assertThatThrownBy(() -> Options.parse("hot-chat", "--rates", tooMany))
                .hasMessage("--rates takes at most 20 values, got 21");
    }

    @Test
    void aSlowConsumerRunIsAFanoutWithMembersWhoStopReading() {
        Options slow = Options.parse("slow-consumer");
        assertThat(List.of(slow.members(), slow.senders(), slow.slow())).containsExactly(200, 4, 5);
        assertThat(slow.rate() * slow.members()).isEqualTo(10_000); // deliveries/s, as fanout
        assertThat(slow.textBytes()).isEqualTo(Options.MAX_TEXT_BYTES);
        assertThat(Options.parse("slow-consumer", "--slow", "0").slow()).isZero();
        assertThat(Options.parse("slow-consumer", "--members", "10", "--senders", "4", "--slow", "5").slow())
                .isEqualTo(5);
        assertThat(Options.parse("slow-consumer", "--text-bytes", "0").textBytes()).isZero();
    }

    @Test
    void onlySlowConsumerHasSlowMembersAndTextsArePlainUnlessAskedFor() {
        assertThat(Options.parse("fanout").slow()).isZero();
        assertThat(Options.parse("fanout").textBytes()).isZero();
        assertThat(Options.parse("rooms", "--text-bytes", "1000").textBytes()).isEqualTo(1000);
        // a fanout in which every member sends is still allowed
        assertThat(Options.parse("fanout", "--members", "3", "--senders", "3").members()).isEqualTo(3);
        assertThat(Options.parse("slow-consumer", "--members", "3", "--senders", "3", "--slow", "0").slow()).isZero();
    }

    @Test
    void refusesSlowMembersThatLeaveNoReaderToMeasure() {
        assertThatThrownBy(() -> Options.parse("slow-consumer", "--members", "10", "--senders", "4", "--slow", "6"))
                .hasMessage("--slow (6) must be less than --members minus --senders (6): slow members never send,"
                        + " and at least one member who only reads must remain to be measured");
        assertThatThrownBy(() -> Options.parse("slow-consumer", "--slow", "-1"))
                .hasMessage("--slow must be between 0 and 100000, got -1");
        assertThatThrownBy(() -> Options.parse("fanout", "--slow", "2"))
                .hasMessage("--slow is for slow-consumer only");
        assertThatThrownBy(() -> Options.parse("slow-consumer", "--text-bytes", "5000"))
                .hasMessage("--text-bytes must be between 0 and 3800, got 5000");
        assertThatThrownBy(() -> Options.parse("connect", "--text-bytes", "100"))
                .hasMessage("--text-bytes is for the scenarios that send messages, not connect");
    }

    @Test
    void cpuPidsListTheProcessesWhoseCpuPerOpenIsReported() {
        assertThat(Options.parse("connect").cpuPids()).isEmpty();
        assertThat(Options.parse("connect", "--cpu-pids", "12, 34").cpuPids()).containsExactly(12L, 34L);
        assertThatThrownBy(() -> Options.parse("connect", "--cpu-pids", "12,x"))
                .hasMessage("each of --cpu-pids must be a process id, got 'x'");
        assertThatThrownBy(() -> Options.parse("connect", "--cpu-pids", "0"))
                .hasMessage("each of --cpu-pids must be a positive process id, got 0");
        assertThat(Options.USAGE).contains("--cpu-pids PID,...");
    }

    @Test
    void theUsageNamesEveryScenarioAndOption() {
        assertThat(Options.USAGE).contains("hot-chat", "--rates", "--read-back", "2 s pause");
        assertThat(Options.USAGE).contains("slow-consumer", "--slow N", "--text-bytes N", "at most 3800",
                "every 250 ms", "slow_closed_1013", "slow_close_codes", "slow_time_to_close_s", "slow_failures");
        assertThat(Options.USAGE).doesNotContain("%d");
    }
}
