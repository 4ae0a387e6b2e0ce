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

    @Test
    void eachNodesAmqpListenerIsItsHostWithTheAmqpPortUnlessListedInTheSameOrder() {
        assertThat(relay("rabbit-1:61613,rabbit-2:61614", "").amqpNodes()).containsExactly(
                new BrokerSettings.Address("rabbit-1", 5672), new BrokerSettings.Address("rabbit-2", 5672));
        assertThat(relay("", "").amqpNodes()).containsExactly(new BrokerSettings.Address("rabbit", 5672));
        assertThat(relay("a:61613,b:61613", "a:5701,b:5702").amqpNodes()).containsExactly(
                new BrokerSettings.Address("a", 5701), new BrokerSettings.Address("b", 5702));
        assertThatIllegalArgumentException().isThrownBy(() -> relay("a:61613,b:61613", "a:5701").amqpNodes())
                .withMessage("chat.broker.relay.amqp-addresses lists 1 nodes but the STOMP nodes are 2: list each "
                        + "node's AMQP listener in the order of chat.broker.relay.addresses");
        assertThatIllegalArgumentException().isThrownBy(() -> relay("a:61613", "a").amqpNodes())
                .withMessage("chat.broker.relay.amqp-addresses: 'a' is not host:port (write e.g. "
                        + "rabbit-1:5672,rabbit-2:5672)");
    }

    private static BrokerSettings.Relay relay(String addresses) {
        return relay(addresses, "");
    }

    private static BrokerSettings.Relay relay(String addresses, String amqpAddresses) {
        return new BrokerSettings.Relay("rabbit", 61613, addresses, "guest", "guest", "/",
                BrokerSettings.Subscriptions.PER_CHAT, Duration.ofSeconds(2), "", 5672, amqpAddresses,
                Duration.ofSeconds(30));
    }
}
