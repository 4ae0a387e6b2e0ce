package io.chat.loadtest;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

/**
 * One WebSocket connection of the tool, on reactor-netty: a couple of event-loop threads serve
 * every socket, and opening one costs a TCP connect and an upgrade, nothing more. (The JDK's
 * client was tried first: its per-open overhead made the tool, not the server, the bottleneck of
 * the {@code connect} scenario.) Frames are read with {@link MessageFrames}, and their order is
 * followed with {@link EventOrder}.
 *
 * <p>Figures go to whichever {@link DeliveryStats} the supplier gives at each frame, so that a run
 * in steps counts each step apart on the same sockets. A slow member's connection ({@link #openSlow})
 * stops reading at its greeting, as its {@link SlowReading} says.
 */
final class LoadClient {

    /** Shared by every client: no pooling, since each WebSocket keeps its own connection. */
    private static final HttpClient HTTP = HttpClient.create(ConnectionProvider.newConnection());
    /** Offers {@code permessage-deflate} (and inflates what comes compressed), as every browser does. */
    private static final WebsocketClientSpec OFFERING = WebsocketClientSpec.builder().compress(true).build();
    private static final WebsocketClientSpec PLAIN = WebsocketClientSpec.builder().build();
    /** One client per loopback source address, made when first needed. */
    private static final Map<Integer, HttpClient> FROM_SOURCE = new ConcurrentHashMap<>();

    private static final String EXTENSIONS = "Sec-WebSocket-Extensions";

    /** The code WebSocket APIs report for a connection that ended without a close frame; never sent. */
    static final int NO_CLOSE_FRAME = 1006;

    /** How a connection's end looked from here: the close frame's code and reason, and when it came. */
    record Closing(int code, String reason, long atNanos) {
    }

    private final Supplier<DeliveryStats> stats;
    /** Null for a member that reads freely. */
    private final SlowReading slow;
    private volatile Channel channel;
    /** Whether the server accepted compression: its 101 named {@code permessage-deflate}. */
    private volatile boolean compressed;
    private final AtomicLong receivedBytes = new AtomicLong();
    private final BitSet seen = new BitSet();
    private final EventOrder order = new EventOrder();
    private final long openStartedNanos = System.nanoTime();
    private final Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();
    final CompletableFuture<Long> established = new CompletableFuture<>();
    /**
     * The first close seen: the server's close frame, the echo of the tool's own, {@link #NO_CLOSE_FRAME}
     * for an open socket that ended without one, or -1 for a socket that never opened.
     */
    final CompletableFuture<Closing> closed = new CompletableFuture<>();

    private LoadClient(Supplier<DeliveryStats> stats, SlowReading slow) {
        this.stats = stats;
        this.slow = slow;
    }

    /** Opens a connection; {@link #established} completes with the open-to-greeting time in nanoseconds. */
    static LoadClient open(URI base, long chatId, String token, Supplier<DeliveryStats> stats, boolean offerCompression) {
        return open(HTTP, base, chatId, token, stats, null, offerCompression);
    }

    /**
     * Opens a connection from loopback address 127.0.0.{@code source} (1 to 254), so that more
     * sockets than one address has ephemeral ports can reach one server port.
     */
    static LoadClient openFrom(int source, URI base, long chatId, String token, Supplier<DeliveryStats> stats,
            boolean offerCompression) {
        HttpClient http = FROM_SOURCE.computeIfAbsent(source,
                s -> HTTP.bindAddress(() -> new InetSocketAddress("127.0.0." + s, 0)));
        return open(http, base, chatId, token, stats, null, offerCompression);
    }

    /** Opens a connection that reads as {@code slow} says once its greeting has arrived. */
    static LoadClient openSlow(URI base, long chatId, String token, Supplier<DeliveryStats> stats,
            SlowReading slow, boolean offerCompression) {
        return open(SlowReading.HTTP, base, chatId, token, stats, slow, offerCompression);
    }

    private static LoadClient open(HttpClient http, URI base, long chatId, String token,
            Supplier<DeliveryStats> stats, SlowReading slow, boolean offerCompression) {
        LoadClient client = new LoadClient(stats, slow);
        String uri = base.toString().replaceFirst("^http", "ws") + "/ws/chat/" + chatId + "/?token=" + token;
        http.websocket(offerCompression ? OFFERING : PLAIN).uri(uri).handle((inbound, outbound) -> {
            client.compressed = inbound.headers().get(EXTENSIONS, "").contains("permessage-deflate");
            inbound.withConnection(connection -> client.channel = connection.channel());
            inbound.receiveCloseStatus().subscribe(status -> client.closing(status.code(), status.reasonText()));
            Mono<Void> reading = inbound.aggregateFrames().receiveFrames()
                    .doOnNext(frame -> {
                        if (frame instanceof TextWebSocketFrame text) {
                            client.receivedBytes.addAndGet(text.content().readableBytes());
                            client.handle(text.text());
                        }
                    })
                    .then();
            // when the tool is done sending, a close frame ends the socket as a browser's close() does
            Mono<Void> writing = outbound.sendString(client.outgoing.asFlux(), java.nio.charset.StandardCharsets.UTF_8)
                    .then().then(outbound.sendClose(1000, "done"));
            return Mono.when(reading, writing);
        }).subscribe(ignored -> {
        }, failure -> client.failed(failure), () -> client.closing(NO_CLOSE_FRAME, "ended without a close frame"));
        return client;
    }

    /**
     * Queues a message frame for the socket.
     *
     * @return false when the frame was refused (the socket is closed or closing, or the sink failed):
     *     it never left the tool, and the caller counts it as a failed send
     */
    boolean send(String text) {
        synchronized (outgoing) {
            return outgoing.tryEmitNext("{\"type\":\"message\",\"text\":\"" + text + "\"}").isSuccess();
        }
    }

    /** Ends sending and closes the socket with 1000; {@link #closed} completes once the server has answered. */
    void close() {
        synchronized (outgoing) {
            outgoing.tryEmitComplete();
        }
    }

    /** Whether the server took up the offer of compression for this socket. */
    boolean compressed() {
        return compressed;
    }

    /** Bytes of text frames received so far (message frames, mostly), written by one event loop. */
    long receivedBytes() {
        return receivedBytes.get();
    }

    /** Whether the server numbers this chat's events, so that this connection checks their order. */
    boolean checksSeq() {
        return order.checksSeq();
    }

    private void handle(String frame) {
        long receivedNanos = System.nanoTime();
        DeliveryStats current = stats.get();
        switch (MessageFrames.kind(frame)) {
            case MESSAGE -> {
                followSeq(frame, current);
                if (!order.messageIdInOrder(MessageFrames.messageId(frame))) {
                    current.idOutOfOrder();
                }
                long[] stamp = MessageFrames.stamp(frame);
                if (stamp != null) {
                    current.delivered(seen, (int) stamp[0], receivedNanos - stamp[1]);
                }
            }
            case EVENT -> followSeq(frame, current);
            case ERROR -> current.error(MessageFrames.isRateLimit(frame));
            case CONNECTED -> {
                order.established(MessageFrames.seq(frame));
                // stopped before anyone waiting for the greeting is told of it
                if (slow != null) {
                    slow.stop(channel);
                }
                established.complete(receivedNanos - openStartedNanos);
            }
            case OTHER -> {
            }
        }
    }

    private void followSeq(String frame, DeliveryStats current) {
        // a server without event numbers said so in its greeting: skip the scan for a field it never sends
        if (order.checksSeq()) {
            current.order(order.event(MessageFrames.seq(frame)));
        }
    }

    private void closing(int code, String reason) {
        established.completeExceptionally(new IllegalStateException("closed with " + code + " " + reason));
        closed.complete(new Closing(code, reason, System.nanoTime()));
    }

    private void failed(Throwable failure) {
        // once open, a socket that ends without a close frame (dropped, reset) is what browsers report as 1006
        boolean wasOpen = established.isDone() && !established.isCompletedExceptionally();
        established.completeExceptionally(failure);
        closed.complete(wasOpen
                ? new Closing(NO_CLOSE_FRAME, "ended without a close frame (" + failure.getClass().getSimpleName() + ")",
                        System.nanoTime())
                : new Closing(-1, String.valueOf(failure), System.nanoTime()));
    }
}
