package io.chat.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * A WebSocket client that completes the upgrade and then never answers a ping: a client that
 * vanished without closing. Real clients (the JDK's, browsers) answer pings by themselves.
 */
public final class SilentSocket implements AutoCloseable {

    private final Socket socket;

    public SilentSocket(String wsUrl) throws IOException {
        this(wsUrl, 0);
    }

    /**
     * @param receiveBufferBytes the socket's receive buffer, 0 for the system's: a small one makes a
     *     client that does not read fill up at once, as a phone on a bad network does
     */
    public SilentSocket(String wsUrl, int receiveBufferBytes) throws IOException {
        URI uri = URI.create(wsUrl);
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readLine(socket.getInputStream());
        if (!status.contains(" 101 ")) {
            throw new IOException("upgrade refused: " + status);
        }
        while (!readLine(socket.getInputStream()).isEmpty()) {
            // headers
        }
    }

    /**
     * Reads frames without answering any until the server closes the connection or the time is up.
     *
     * @return the close code the server sent, or -1 if the connection ended without one
     */
    public int awaitServerClose(int timeoutMillis) throws IOException {
        return awaitServerCloseFrame(timeoutMillis).code();
    }

    /** The code and reason of a close frame; code -1 when the connection ended without one. */
    public record CloseFrame(int code, String reason) {
    }

    /**
     * {@link #awaitServerCloseFrame} on another thread, so that the test can act meanwhile; a
     * connection that ends without a close frame gives code -1 and the failure as the reason.
     */
    public CompletableFuture<CloseFrame> awaitServerCloseFrameInBackground(int timeoutMillis) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return awaitServerCloseFrame(timeoutMillis);
            } catch (IOException gone) {
                return new CloseFrame(-1, gone.toString());
            }
        });
    }

    /** Reads (and drops) frames until the server's close frame, or the end of the connection. */
    public CloseFrame awaitServerCloseFrame(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        while (true) {
            Frame frame = readFrame(socket.getInputStream());
            if (frame == null) {
                return new CloseFrame(-1, "");
            }
            if (frame.opcode() == 0x8) {
                byte[] payload = frame.payload();
                return payload.length >= 2 ? new CloseFrame(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF),
                        new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)) : new CloseFrame(1005, "");
            }
        }
    }

    /**
     * Reads frames, answering none, until the first text frame (the server's greeting): the socket
     * is then admitted and holds its claim.
     */
    public String awaitFirstText(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        while (true) {
            Frame frame = readFrame(socket.getInputStream());
            if (frame == null || frame.opcode() == 0x8) {
                throw new IOException("closed before any text frame");
            }
            if (frame.opcode() == 0x1) {
                return new String(frame.payload(), StandardCharsets.UTF_8);
            }
        }
    }

    /** A server frame: its opcode and payload (servers do not mask). */
    private record Frame(int opcode, byte[] payload) {
    }

    /** The next frame, or null at the end of the connection. */
    private static Frame readFrame(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        long length = in.read() & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        return new Frame(first & 0x0F, in.readNBytes((int) length));
    }

    /** Sends one text frame (masked, as a client must), e.g. its last word before it goes silent. */
    public void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("a short frame only");
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        OutputStream out = socket.getOutputStream();
        out.write(frame);
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
