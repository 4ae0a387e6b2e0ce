package io.chat.system;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the embedded PostgreSQL keeps its data when no {@code spring.datasource.url} is set.
 *
 * @param dataDirectory survives restarts; relative paths are taken from the working directory
 * @param port 0 picks a free port at each start
 */
@ConfigurationProperties("chat.embedded-postgres")
public record EmbeddedPostgresSettings(@DefaultValue("data/postgres") Path dataDirectory,
        @DefaultValue("0") int port) {
}
