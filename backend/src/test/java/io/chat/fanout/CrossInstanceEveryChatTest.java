package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chat.support.Instances;

/** The whole cross-instance contract again, with each instance subscribed once to every chat. */
class CrossInstanceEveryChatTest extends CrossInstanceTest {

    /** Supersedes the inherited start (same signature), so these instances are the only ones. */
    @BeforeAll
    static void startTwoInstances() {
        cluster = Instances.start(2, "--chat.broker.relay.subscriptions=every-chat");
    }

    /** Without this, a start that fell back to per-chat would pass every inherited test unnoticed. */
    @Test
    void instancesRunWithEveryChatSubscriptions() {
        for (int i = 0; i < 2; i++) {
            assertThat(cluster.context(i).getBean(BrokerSettings.class).relay().subscriptions())
                    .isEqualTo(BrokerSettings.Subscriptions.EVERY_CHAT);
        }
    }
}
