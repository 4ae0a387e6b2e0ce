package io.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.TestUser;

/** The firewall still refuses control characters in headers, now that it checks them without regexes. */
@ChatServerTest
class FirewallTest {

    @LocalServerPort
    int port;

    @Test
    void headerWithAControlCharacterIsRejectedBeforeAuthentication() throws IOException {
        TestUser alice = new Api(port).newUser();

        assertThat(statusLine(alice.access(), "")).isEqualTo("HTTP/1.1 200 ");
        // U+0085 (NEL) is a C1 control: the HTTP parser lets the byte through, the firewall must not
        assertThat(statusLine(alice.access(), "\u0085")).isEqualTo("HTTP/1.1 400 ");
    }

    /** Raw bytes, because HTTP clients refuse to send such a header at all. */
    private String statusLine(String token, String suffix) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "GET /api/users/me HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Authorization: Bearer " + token + suffix + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1 && b != '\r'; b = in.read()) {
                line.write(b);
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
