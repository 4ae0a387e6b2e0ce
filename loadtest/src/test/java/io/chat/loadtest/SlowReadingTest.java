package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A slow member against a small WebSocket server on this machine that greets, then writes 1 KiB
 * frames for as long as its socket takes them, and closes with 1013 when told to (after what it
 * has queued, as the chat server does).
 */
class SlowReadingTest {

    private static final String GREETING = "{\"type\":\"connection_established\",\"seq\":0}";
    private static final String FRAME = "{\"type\":\"typing\",\"pad\":\"" + "x".repeat(1000) + "\"}";

    private final AtomicLong written = new AtomicLong();
    private final Sinks.Empty<Void> tooSlow = Sinks.empty();
    private final AtomicReference<Connection> serverSide = new AtomicReference<>();
    private DisposableServer server;

    @BeforeEach
    void startServer() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> response.sendWebsocket((in, out) -> {
                    in.withConnection(serverSide::set);
                    Flux<String> frames = Flux.range(0, 1_000_000).map(i -> FRAME)
                            .doOnNext(frame -> written.addAndGet(frame.length()))
                            .takeUntilOther(tooSlow.asMono());
                    return out.sendString(Flux.concat(Mono.just(GREETING), frames)).then()
                            .then(out.sendClose(SlowCloses.TOO_SLOW, SlowCloses.TOO_SLOW_REASON));
                }))
                .bindNow();
    }

    @AfterEach
    void stopServer() {
        server.disposeNow();
    }

    @Test
    void slowMembersConnectWithASmallReceiveBufferAndAnEthernetMss() {
        Map<ChannelOption<?>, ?> options = SlowReading.HTTP.configuration().options();
        assertThat(options.get(ChannelOption.SO_RCVBUF)).isEqualTo(SlowReading.RECEIVE_BUFFER_BYTES);
        assertThat(options.get(SlowReading.TCP_MAXSEG)).isEqualTo(SlowReading.limitsMss() ? SlowReading.MSS_BYTES : null);
    }

    @Test
    void theServersWritesBackUpAndItsCloseArrivesOnceTheMemberReadsAgain() throws Exception {
        SlowReading reading = new SlowReading();
        LoadClient client = LoadClient.openSlow(URI.create("http://127.0.0.1:" + server.port()), 1, "token",
                DeliveryStats::new, reading, false);
        client.established.get(10, TimeUnit.SECONDS);
        assertThat(reading.stopped()).isTrue();

        long backedUp = awaitWritesStopping();
        if (SlowReading.limitsMss()) {
            // over loopback the server's kernel alone would have taken megabytes
            assertThat(backedUp).isLessThan(1 << 20);
        }
        long readBefore = client.receivedBytes();
        for (int i = 0; i < 3; i++) {
            reading.sip();
            Thread.sleep(50);
        }
        assertThat(client.receivedBytes() - readBefore).as("a few sips read a little, not the backlog")
                .isLessThan(64 * 1024);

        tooSlow.tryEmitEmpty();
        reading.resume();
        LoadClient.Closing closing = client.closed.get(10, TimeUnit.SECONDS);
        assertThat(closing.code()).isEqualTo(SlowCloses.TOO_SLOW);
        assertThat(closing.reason()).isEqualTo(SlowCloses.TOO_SLOW_REASON);
        assertThat(closing.atNanos() - reading.stoppedNanos()).isPositive();
        assertThat(client.receivedBytes()).as("the backlog came before the close").isGreaterThan(backedUp / 2);
    }

    @Test
    void aConnectionDroppedWithoutACloseFrameIsReported1006() throws Exception {
        SlowReading reading = new SlowReading();
        LoadClient client = LoadClient.openSlow(URI.create("http://127.0.0.1:" + server.port()), 1, "token",
                DeliveryStats::new, reading, false);
        client.established.get(10, TimeUnit.SECONDS);
        awaitWritesStopping();

        // as a server whose close frame could not get past the backlog in time drops the connection
        serverSide.get().channel().close();
        reading.resume();
        LoadClient.Closing closing = client.closed.get(10, TimeUnit.SECONDS);
        assertThat(closing.code()).isEqualTo(LoadClient.NO_CLOSE_FRAME);
        assertThat(closing.reason()).startsWith("ended without a close frame");
    }

    @Test
    void aMemberThatReadsFreelyIsNeverStopped() throws Exception {
        LoadClient client = LoadClient.open(URI.create("http://127.0.0.1:" + server.port()), 1, "token",
                DeliveryStats::new, false);
        client.established.get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        while (written.get() < 4 << 20 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(20);
        }
        assertThat(written.get()).isGreaterThanOrEqualTo(4 << 20);
        client.close();
    }

    /** Waits until the server has written nothing more for a while; returns what it wrote. */
    private long awaitWritesStopping() throws InterruptedException {
        long last = -1;
        int unchanged = 0;
        long start = System.nanoTime();
        while (unchanged < 3 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(100);
            long now = written.get();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
        }
        assertThat(unchanged).as("the server's writes stopped").isEqualTo(3);
        return last;
    }
}
