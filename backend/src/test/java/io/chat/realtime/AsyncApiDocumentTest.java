package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.chat.support.Api;
import io.chat.support.ChatServerTest;
import io.chat.support.RepositoryFiles;
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
        assertThat(response.text()).isEqualTo(Files.readString(RepositoryFiles.find("docs/asyncapi.yaml"), StandardCharsets.UTF_8));
    }
}
