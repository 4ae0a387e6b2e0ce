package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** How {@code chat.broker.relay.addresses} names the nodes of a RabbitMQ cluster, and what it replaces. */
class BrokerSettingsTest {

    @Test
    void withoutAddressesTheRelayUsesHostAndPort() {
        assertThat(relay("").nodes()).containsExactly(new BrokerSettings.Address("rabbit", 61613));
        assertThat(relay("  ").nodes()).containsExactly(new BrokerSettings.Address("rabbit", 61613));
    }

    @Test
    void addressesReplaceHostAndPortInTheOrderListed() {
        assertThat(relay("rabbit-1:61613, rabbit-2:61614,,[::1]:61615").nodes()).containsExactly(
                new BrokerSettings.Address("rabbit-1", 61613), new BrokerSettings.Address("rabbit-2", 61614),
                new BrokerSettings.Address("::1", 61615));
        assertThat(new BrokerSettings.Address("::1", 61615)).hasToString("[::1]:61615");
    }

    @Test
    void anAddressWithoutItsPortIsRefusedAtStartWithAnExample() {
        for (String bad : new String[] {"rabbit-1", "rabbit-1:", ":61613", "rabbit-1:stomp"}) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> relay(bad).nodes())
                    .withMessageContaining("chat.broker.relay.addresses").withMessageContaining("host:port");
        }
    }

    private static BrokerSettings.Relay relay(String addresses) {
        return new BrokerSettings.Relay("rabbit", 61613, addresses, "guest", "guest", "/",
                BrokerSettings.Subscriptions.PER_CHAT, Duration.ofSeconds(2), "");
    }
}
