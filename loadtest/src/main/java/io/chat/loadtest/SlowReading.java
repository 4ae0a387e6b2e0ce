package io.chat.loadtest;

import java.time.Duration;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * How a slow member of {@code slow-consumer} reads its socket: freely until its greeting, then hardly
 * at all, so that the server's writes to it back up; freely again once the tool has sent everything.
 *
 * <p>Stopping is not enough on its own: the kernels on both ends would absorb what the server writes.
 * The receive buffer is kept small (4 KiB), and on Linux so is the MSS the connection announces,
 * because the server's kernel sizes its send buffer from the MSS: over loopback (an MSS of 64 KiB) it
 * took about 3 MB before a write blocked, on a real network (1460) under 100 KB. Without it the
 * server's own 1 MiB buffer would only start to fill after three more megabytes.
 *
 * <p>While the messages are sent, the member takes one read every {@link #SIP_INTERVAL} (a few KiB,
 * what its receive buffer holds), far less than it is offered: the server's close comes after what
 * its kernel already holds, and a client that never read would only see it if it drained that within
 * the server's {@code send-time-limit}; sipping brings it in a few seconds after the server decides.
 */
final class SlowReading {

    static final Duration SIP_INTERVAL = Duration.ofMillis(250);
    static final int RECEIVE_BUFFER_BYTES = 4096;
    /** An Ethernet MSS: what the server's kernel would see from a client on a real network. */
    static final int MSS_BYTES = 1460;
    /** Linux's {@code IPPROTO_TCP} and {@code TCP_MAXSEG}; only the native transport can set it. */
    static final IntegerUnixChannelOption TCP_MAXSEG = new IntegerUnixChannelOption("TCP_MAXSEG", 6, 2);

    /** Shared by every slow member: small buffers, no pooling. */
    static final HttpClient HTTP = http();

    private volatile Channel channel;
    private volatile long stoppedNanos;

    /**
     * Whether the MSS is limited as well as the receive buffer: on Linux, where reactor-netty runs on
     * its native transport (epoll) unless told not to; only native channels take raw socket options.
     */
    static boolean limitsMss() {
        return LoopResources.DEFAULT_NATIVE && LoopResources.hasNativeSupport()
                && System.getProperty("os.name", "").startsWith("Linux");
    }

    private static HttpClient http() {
        HttpClient http = HttpClient.create(ConnectionProvider.newConnection())
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
        return limitsMss() ? http.option(TCP_MAXSEG, MSS_BYTES) : http;
    }

    /** Stops reading; called on the channel's event loop when the greeting arrives. */
    void stop(Channel connection) {
        connection.config().setAutoRead(false);
        stoppedNanos = System.nanoTime();
        channel = connection; // last: it publishes the time
    }

    /** One read of what the socket holds, if reading is stopped. */
    void sip() {
        Channel stopped = channel;
        if (stopped != null && stopped.isActive() && !stopped.config().isAutoRead()) {
            stopped.read();
        }
    }

    /** Reads freely again, so that whatever the server sent last (a close, say) arrives. */
    void resume() {
        Channel stopped = channel;
        if (stopped != null) {
            stopped.config().setAutoRead(true);
        }
    }

    /** Whether the greeting came and reading stopped. */
    boolean stopped() {
        return channel != null;
    }

    /** When reading stopped ({@link System#nanoTime()}); meaningless until {@link #stopped()}. */
    long stoppedNanos() {
        return stoppedNanos;
    }
}
