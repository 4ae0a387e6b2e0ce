package io.chat.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

/**
 * A real WebSocket client (the JDK's) for tests: it records every text frame and the close code and
 * reason the server sends. It answers pings with pongs, as browsers do.
 * <p>
 * Every frame it sends and receives is checked against {@code docs/asyncapi.yaml} ({@link FrameSchemas}),
 * so that the document cannot drift from the server: a received frame must match its schema, a sent
 * frame the schemas refuse must be answered with an {@code error} frame (the server refuses it too),
 * and a frame they accept must not be refused for its shape. Violations are found on the listener's
 * thread and thrown on the test's, at its next read or close.
 */
public final class WsClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<Received> frames = new LinkedBlockingQueue<>();

    /** A text frame as it came, with when (System.nanoTime()). */
    public record Received(String text, long atNanos) {

        public JsonNode json() {
            return Api.parse(text);
        }
    }
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    /** Sent frames the schemas refuse that no error frame has answered yet. */
    private int unansweredRefusals;

    /**
     * The error texts that refuse a frame for its shape, which the schemas describe; the others
     * (empty after trimming, rate limit, no such message...) depend on more than the frame.
     */
    private static final List<String> SHAPE_ERRORS = List.of("Invalid JSON format", "Message type is required",
            "Unknown message type: ", "Field is_typing must be true or false");

    /** The code and reason of the server's close frame (1006 when the connection just dropped). */
    public record Closed(int code, String reason) {
    }

    private WsClient(String url, Map<String, String> headers) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(URI.create(url), new Listener()).join();
    }

    /** Connects passing the token as {@code ?token=} (the browser way). */
    public static WsClient connect(String url, String token) {
        return new WsClient(url + (url.contains("?") ? "&" : "?") + "token=" + token, Map.of());
    }

    /** Connects passing the token in the Authorization header. */
    public static WsClient connectWithHeader(String url, String token) {
        return new WsClient(url, Map.of("Authorization", "Bearer " + token));
    }

    public static WsClient connect(String url, Map<String, String> headers) {
        return new WsClient(url, headers);
    }

    /**
     * Connects right after the same user's previous connection to the chat was closed: the server
     * releases the one-connection claim as it finishes that close, so an attempt in the same
     * instant may still get 4409; it is tried again for up to two seconds. Returns the client with
     * its greeting taken, and the greeting.
     */
    public static Reconnected reconnect(String url, String token) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (true) {
            WsClient client = connect(url, token);
            JsonNode greeting = client.firstFrameUnlessClosed();
            if (greeting != null) {
                return new Reconnected(client, greeting);
            }
            Closed closed = client.awaitClose();
            client.close();
            if (closed.code() != 4409 || System.nanoTime() > deadline) {
                throw new AssertionError("reconnect refused: " + closed);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
        }
    }

    /** A client that reconnected, and the greeting it got. */
    public record Reconnected(WsClient client, JsonNode greeting) {
    }

    /** Connects and checks the greeting; most tests start here. */
    public static WsClient open(String url, String token) {
        WsClient client = connect(url, token);
        JsonNode greeting = client.next();
        if (!"connection_established".equals(greeting.path("type").asString())) {
            throw new AssertionError("expected connection_established, got " + greeting);
        }
        return client;
    }

    public void send(String text) {
        if (!FrameSchemas.checkClientFrame(text).isEmpty()) {
            synchronized (this) {
                unansweredRefusals++;
            }
        }
        socket.sendText(text, true).join();
    }

    public void sendJson(Object frame) {
        send(Api.json(frame));
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** The next text frame, parsed; fails if none comes within {@link #WAIT}. */
    public JsonNode next() {
        String frame = nextText(WAIT);
        if (frame == null) {
            throw new AssertionError("no frame within " + WAIT + (closed.isDone() ? "; closed: " + closed.join() : ""));
        }
        return Api.parse(frame);
    }

    /** The first frame, or null as soon as the connection closes without one; fails after {@link #WAIT}. */
    private JsonNode firstFrameUnlessClosed() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = poll(Duration.ofMillis(20));
            if (frame != null) {
                return frame;
            }
            if (closed.isDone()) {
                return poll(Duration.ZERO);
            }
        }
        throw new AssertionError("neither a frame nor a close within " + WAIT);
    }

    /** The next text frame, parsed, or null if none comes within the wait. */
    public JsonNode poll(Duration wait) {
        String frame = nextText(wait);
        return frame == null ? null : Api.parse(frame);
    }

    /** The next frame of the given type, skipping others (e.g. typing noise); fails after {@link #WAIT}. */
    public JsonNode nextOfType(String type) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String frame = nextText(Duration.ofNanos(deadline - System.nanoTime()));
            if (frame != null && type.equals(Api.parse(frame).path("type").asString())) {
                return Api.parse(frame);
            }
        }
        throw new AssertionError("no " + type + " frame within " + WAIT);
    }

    /** Asserts that no frame arrives for the given time. */
    public void expectSilence(Duration quiet) {
        String frame = nextText(quiet);
        if (frame != null) {
            throw new AssertionError("expected no frame, got " + frame);
        }
    }

    /** Every frame received so far and not yet taken. */
    public List<JsonNode> drain() {
        throwViolations();
        List<Received> received = new ArrayList<>();
        frames.drainTo(received);
        return received.stream().map(Received::json).toList();
    }

    /** The next frame with the time it arrived; fails if none comes within {@link #WAIT}. */
    public Received nextReceived() {
        throwViolations();
        try {
            Received received = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (received == null) {
                throw new AssertionError("no frame within " + WAIT);
            }
            return received;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }

    /** Waits for the server to close the connection. */
    public Closed awaitClose() {
        throwViolations();
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timeout) {
            throw new AssertionError("connection not closed within " + WAIT, timeout);
        }
    }

    public Closed awaitClose(Duration wait) {
        throwViolations();
        try {
            return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timeout) {
            throw new AssertionError("connection not closed within " + wait, timeout);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    private String nextText(Duration wait) {
        throwViolations();
        try {
            Received received = frames.poll(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
            return received == null ? null : received.text();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        close(WebSocket.NORMAL_CLOSURE, "bye");
    }

    /** Closes with this code and reason, and waits for the server's answer. */
    public void close(int code, String reason) {
        if (!closed.isDone() && !socket.isOutputClosed()) {
            try {
                socket.sendClose(code, reason).get(2, TimeUnit.SECONDS);
                closed.get(2, TimeUnit.SECONDS);
                // the server answers frames in order, so every error frame came before its close
                synchronized (this) {
                    if (unansweredRefusals > 0) {
                        violations.add(unansweredRefusals
                                + " sent frame(s) that asyncapi.yaml refuses got no error frame from the server");
                    }
                }
            } catch (Exception ignored) {
                // the server may already be gone
            }
        }
        socket.abort();
        throwViolations();
    }

    /** Checks a frame from the server against its schema, and pairs error frames with refused sends. */
    private void checkReceived(String text) {
        violations.addAll(FrameSchemas.checkServerFrame(text));
        JsonNode frame;
        try {
            frame = Api.parse(text);
        } catch (RuntimeException notJson) {
            return;
        }
        if (!"error".equals(frame.path("type").asString())) {
            return;
        }
        String message = frame.path("message").asString();
        synchronized (this) {
            if (unansweredRefusals > 0) {
                unansweredRefusals--;
            } else if (SHAPE_ERRORS.stream().anyMatch(message::startsWith)) {
                violations.add("the server refused a frame that asyncapi.yaml accepts: " + text);
            }
        }
    }

    private void throwViolations() {
        if (!violations.isEmpty()) {
            List<String> found = List.copyOf(violations);
            violations.clear();
            throw new AssertionError("frames that break docs/asyncapi.yaml:\n" + String.join("\n", found));
        }
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long at = System.nanoTime();
                checkReceived(partial.toString());
                frames.add(new Received(partial.toString(), at));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(1006, String.valueOf(error)));
        }
    }
}
