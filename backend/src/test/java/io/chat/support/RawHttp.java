package io.chat.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Requests written byte for byte, for what HTTP clients refuse to send (bad paths, huge headers, odd upgrades). */
public final class RawHttp {

    private RawHttp() {
    }

    /** The status, the head (status line and headers) and, for a response that ended, its body. */
    public record Response(int status, String head, String body) {
    }

    /** Sends the request as written and reads the answer; an upgrade's head is read, not its frames. */
    public static Response send(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException refusedMidway) {
                // the server may answer and close before reading a huge request to the end
            }
            InputStream in = socket.getInputStream();
            StringBuilder text = new StringBuilder();
            byte[] buffer = new byte[8192];
            int read;
            try {
                while ((read = in.read(buffer)) > 0) {
                    text.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                    if (text.indexOf("\r\n\r\n") >= 0 && text.toString().startsWith("HTTP/1.1 101")) {
                        break; // an upgraded socket stays open: the head is all there is to read
                    }
                }
            } catch (SocketTimeoutException | SocketException done) {
                // what arrived is what there is
            }
            String all = text.toString();
            int end = all.indexOf("\r\n\r\n");
            String head = end < 0 ? all : all.substring(0, end);
            String body = end < 0 ? "" : all.substring(end + 4);
            return new Response(Integer.parseInt(head.substring(9, 12)), head, body);
        }
    }

    /** A WebSocket upgrade of the chat's socket with the token in the query and the given extension offer. */
    public static String upgrade(long chatId, String token, String extensionOffer) {
        return "GET /ws/chat/" + chatId + "/?token=" + token + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (extensionOffer == null ? "" : "Sec-WebSocket-Extensions: " + extensionOffer + "\r\n") + "\r\n";
    }
}
