package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.Response;

/** docs/asyncapi.yaml is what the server serves at /asyncapi.yaml, to anyone, without a token. */
@ChatServerTest
class AsyncApiDocumentTest {

    @LocalServerPort
    int port;

    @Test
    void servesTheDocumentWithoutAToken() throws IOException {
        Response response = new Api(port).get("/asyncapi.yaml", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).contains("yaml");
        assertThat(response.text()).isEqualTo(Files.readString(document(), StandardCharsets.UTF_8));
    }

    private static Path document() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/asyncapi.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("docs/asyncapi.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
