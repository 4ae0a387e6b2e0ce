package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.chat.support.Rabbit;

/** One self-healing STOMP link on its own, against a closed port and against the real RabbitMQ. */
class StompLinkTest {

    ThreadPoolTaskScheduler scheduler;
    RelayStompClient client;
    StompLink link;
    final AtomicInteger connected = new AtomicInteger();
    final List<String> failures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void scheduler() {
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.initialize();
    }

    @AfterEach
    void stop() {
        if (link != null) {
            link.stop();
        }
        if (client != null) {
            client.shutdown();
        }
        scheduler.shutdown();
    }

    @Test
    void eachFailedConnectIsRetriedOnceWithGrowingDelays() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        link = link(closedPort, "guest", "guest");
        link.start();
        Thread.sleep(4_000);
        // attempts at 0, 0.5, 1.5 and 3.5 s; Spring reports each failure twice, and answering both
        // would double the attempts every round (1, 2, 4, 8...)
        assertThat(failures).hasSizeBetween(3, 5);
        assertThat(connected).hasValue(0);
        assertThat(link.isConnected()).isFalse();
    }

    @Test
    void refusedConnectIsReportedWithTheBrokersReasonAndHealsOnceAccessIsBack() throws Exception {
        try (Rabbit.User broker = Rabbit.newUser("link")) {
            broker.revoke();
            link = link(61613, broker.login(), broker.password());
            link.start();
            awaitUntil(() -> !failures.isEmpty(), Duration.ofSeconds(5));
            assertThat(failures.get(0)).contains("CONNECT refused").contains("access denied");
            broker.grant();
            awaitUntil(() -> connected.get() == 1, Duration.ofSeconds(8));
            assertThat(link.isConnected()).isTrue();
            assertThat(broker.stompConnections()).isEqualTo(1);
            link.stop();
            awaitUntil(() -> broker.stompConnections() == 0, Duration.ofSeconds(5));
        }
    }

    @Test
    void aNodeThatCannotBeReachedIsLeftForTheNextOneListed() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        RelayStompClient down = client(closedPort);
        try {
            BrokerSettings.Address gone = new BrokerSettings.Address("127.0.0.1", closedPort);
            BrokerSettings.Address up = new BrokerSettings.Address("127.0.0.1", 61613);
            RelayNodes nodes = new RelayNodes(List.of(new RelayNodes.Node(gone, down),
                    new RelayNodes.Node(up, client(61613))));
            link = link(nodes, "guest", "guest");
            link.start();
            awaitUntil(() -> connected.get() == 1, Duration.ofSeconds(5));
            assertThat(link.node()).isEqualTo(up);
            assertThat(failures).hasSize(1);
            assertThat(failures.get(0)).startsWith("127.0.0.1:" + closedPort + ": ");
        } finally {
            down.shutdown();
        }
    }

    private RelayStompClient client(int port) {
        client = new RelayStompClient("127.0.0.1", port);
        client.setMessageConverter(new StringMessageConverter());
        client.setTaskScheduler(scheduler);
        client.setDefaultHeartbeat(new long[] {10_000, 10_000});
        return client;
    }

    private StompLink link(int port, String login, String passcode) {
        return link(RelayNodes.of(new BrokerSettings.Address("127.0.0.1", port), client(port)), login, passcode);
    }

    private StompLink link(RelayNodes nodes, String login, String passcode) {
        StompHeaders connect = new StompHeaders();
        connect.setLogin(login);
        connect.setPasscode(passcode);
        connect.setHost("/");
        return new StompLink("test", nodes, connect, scheduler, session -> {
        }, new StompLink.Watcher() {
            @Override
            public void connected(StompLink link) {
                connected.incrementAndGet();
            }

            @Override
            public void failed(StompLink link, String cause) {
                failures.add(cause);
            }
        });
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within);
            }
            Thread.sleep(100);
        }
    }
}
