package io.chat.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One WebSocket connection of the tool (the JDK's client: one selector thread multiplexes every
 * socket, so ten thousand of them cost little). Frames are read with {@link MessageFrames}, and
 * sends are chained, since a WebSocket takes one outstanding send at a time.
 */
final class LoadClient implements WebSocket.Listener {

    private final DeliveryStats stats;
    private final BitSet seen = new BitSet();
    private final StringBuilder partial = new StringBuilder();
    private final long openStartedNanos = System.nanoTime();
    final CompletableFuture<Long> established = new CompletableFuture<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private CompletableFuture<WebSocket> sending;

    private LoadClient(DeliveryStats stats) {
        this.stats = stats;
    }

    /** Opens a connection; {@link #established} completes with the open-to-greeting time in nanoseconds. */
    static LoadClient open(HttpClient http, URI base, long chatId, String token, DeliveryStats stats) {
        LoadClient client = new LoadClient(stats);
        URI ws = URI.create(base.toString().replaceFirst("^http", "ws") + "/ws/chat/" + chatId + "/?token=" + token);
        client.sending = http.newWebSocketBuilder().buildAsync(ws, client);
        client.sending.whenComplete((socket, failure) -> {
            if (failure != null) {
                client.established.completeExceptionally(failure);
                client.closed.complete(-1);
            }
        });
        return client;
    }

    synchronized void send(String text) {
        sending = sending.thenCompose(socket -> socket.sendText("{\"type\":\"message\",\"text\":\"" + text + "\"}", true));
    }

    void close() {
        sending.thenAccept(socket -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
    }

    void abort() {
        sending.thenAccept(WebSocket::abort);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            handle(frame);
        }
        webSocket.request(1);
        return null;
    }

    private void handle(String frame) {
        switch (MessageFrames.kind(frame)) {
            case MESSAGE -> {
                long[] stamp = MessageFrames.stamp(frame);
                if (stamp != null) {
                    stats.delivered(seen, (int) stamp[0], System.nanoTime() - stamp[1]);
                }
            }
            case ERROR -> stats.error(MessageFrames.isRateLimit(frame));
            case CONNECTED -> established.complete(System.nanoTime() - openStartedNanos);
            case OTHER -> {
            }
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        established.completeExceptionally(new IllegalStateException("closed with " + statusCode + " " + reason));
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        established.completeExceptionally(error);
        closed.complete(-1);
    }
}
