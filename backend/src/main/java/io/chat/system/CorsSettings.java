package io.chat.system;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin access to the REST API.
 *
 * @param allowedOrigins origins (such as {@code https://app.example.com}, or a pattern such as
 *     {@code https://*.example.com}) whose pages may call the REST API; empty: same origin only
 */
@ConfigurationProperties("chat.cors")
public record CorsSettings(@DefaultValue List<String> allowedOrigins) {
}
