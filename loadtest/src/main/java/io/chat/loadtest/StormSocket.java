package io.chat.loadtest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

/**
 * One connection of a storm client, on reactor-netty as {@link LoadClient}, but handing every text
 * frame and the connection's one end to its {@link StormClient}, which outlives it: a storm client
 * opens a new socket at each reconnect and keeps its account across them.
 */
final class StormSocket {

    /** What a connection's end looked like, as a browser's {@code CloseEvent} reports it. */
    interface Ending {
        void ended(StormSocket socket, int code, String reason);
    }

    private static final HttpClient HTTP = HttpClient.create(ConnectionProvider.newConnection());
    private static final WebsocketClientSpec SPEC = WebsocketClientSpec.builder().build();

    private final Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Ending ending;
    private volatile boolean opened;
    final long startedNanos = System.nanoTime();

    private StormSocket(Ending ending) {
        this.ending = ending;
    }

    /** Opens {@code /ws/chat/{chat}/?token=...} and, when {@code sinceSeq} is not negative, {@code &since_seq=}. */
    static StormSocket open(URI base, long chatId, String token, long sinceSeq, Consumer<String> frames,
            Ending ending) {
        StormSocket socket = new StormSocket(ending);
        String uri = base.toString().replaceFirst("^http", "ws") + "/ws/chat/" + chatId + "/?token=" + token
                + (sinceSeq >= 0 ? "&since_seq=" + sinceSeq : "");
        HTTP.websocket(SPEC).uri(uri).handle((inbound, outbound) -> {
            socket.opened = true;
            inbound.receiveCloseStatus().subscribe(status -> socket.end(status.code(), status.reasonText()));
            Mono<Void> reading = inbound.aggregateFrames().receiveFrames()
                    .doOnNext(frame -> {
                        if (frame instanceof TextWebSocketFrame text) {
                            frames.accept(text.text());
                        }
                    })
                    .then();
            // deferred: sendClose allocates its frame when called, and a socket the server closes
            // first never sends it (Netty then reports the unreleased buffer as a leak)
            Mono<Void> writing = outbound.sendString(socket.outgoing.asFlux(), StandardCharsets.UTF_8)
                    .then().then(Mono.defer(() -> outbound.sendClose(1000, "done")));
            return Mono.when(reading, writing);
        }).subscribe(ignored -> {
        }, failure -> socket.end(LoadClient.NO_CLOSE_FRAME, (socket.opened ? "dropped: " : "open failed: ")
                + failure.getClass().getSimpleName()),
                () -> socket.end(LoadClient.NO_CLOSE_FRAME, "ended without a close frame"));
        return socket;
    }

    void send(String frame) {
        synchronized (outgoing) {
            outgoing.tryEmitNext(frame);
        }
    }

    /** Closes with 1000, as a browser's {@code close()} does. */
    void close() {
        synchronized (outgoing) {
            outgoing.tryEmitComplete();
        }
    }

    /** Only the first end counts: a close frame is followed by the connection's completion. */
    private void end(int code, String reason) {
        if (ended.compareAndSet(false, true)) {
            ending.ended(this, code, reason == null ? "" : reason);
        }
    }
}
