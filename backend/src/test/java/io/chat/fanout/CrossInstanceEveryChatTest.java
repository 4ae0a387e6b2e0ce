package io.chat.fanout;

import org.junit.jupiter.api.BeforeAll;

import io.chat.support.Instances;

/** The whole cross-instance contract again, with each instance subscribed once to every chat. */
class CrossInstanceEveryChatTest extends CrossInstanceTest {

    @BeforeAll
    static void startTwoInstances() {
        cluster = Instances.start(2, "--chat.broker.relay.subscriptions=every-chat");
    }
}
