package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chat.support.Api;
import io.chat.support.Instances;
import io.chat.support.SilentSocket;
import io.chat.support.TestUser;
import io.chat.support.WsClient;

/**
 * The 4409 rows across instances: the instance that holds the old connection probes it when asked
 * (through PostgreSQL), so a dead connection on one instance is replaced by a new one on the other
 * within about 2 s, and a live one still refuses it at once.
 */
class TakeoverAcrossInstancesTest {

    static Instances cluster;

    @BeforeAll
    static void startTwoInstances() {
        cluster = Instances.start(2);
    }

    @AfterAll
    static void stopInstances() {
        cluster.close();
    }

    @Test
    void aDeadConnectionOnOneInstanceIsReplacedByANewOneOnTheOther() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        long chat = one.newChat(alice, one.newUser());
        try (SilentSocket frozen = new SilentSocket(one.wsUrl(chat) + "?token=" + alice.access())) {
            frozen.awaitFirstText(10_000); // admitted: it holds the claim
            CompletableFuture<SilentSocket.CloseFrame> told = frozen.awaitServerCloseFrameInBackground(10_000);
            long started = System.nanoTime();
            try (WsClient phone = WsClient.open(two.wsUrl(chat), alice.access())) {
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                System.out.printf("replaced across instances in %d ms%n", waited.toMillis());
                assertThat(waited).isLessThan(Duration.ofMillis(3500));
                assertThat(told.get()).isEqualTo(new SilentSocket.CloseFrame(4409, "Replaced by a new connection"));
                assertThat(phone.isClosed()).isFalse();
            }
        }
    }

    @Test
    void aLiveConnectionOnOneInstanceRefusesASecondOnTheOtherAtOnce() throws Exception {
        Api one = cluster.api(0);
        Api two = cluster.api(1);
        TestUser alice = one.newUser();
        long chat = one.newChat(alice, one.newUser());
        try (WsClient first = WsClient.open(one.wsUrl(chat), alice.access())) {
            long started = System.nanoTime();
            try (WsClient second = WsClient.connect(two.wsUrl(chat), alice.access())) {
                assertThat(second.awaitClose()).isEqualTo(new WsClient.Closed(4409, "Already connected to this chat"));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            }
            assertThat(first.isClosed()).isFalse();
        }
    }
}
