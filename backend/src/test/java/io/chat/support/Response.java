package io.chat.support;

import java.net.http.HttpHeaders;

import tools.jackson.databind.JsonNode;

/** An HTTP answer: status, headers and the body parsed as JSON (a missing node when empty). */
public record Response(int status, HttpHeaders headers, String text, JsonNode json) {

    public String contentType() {
        return headers.firstValue("Content-Type").orElse("");
    }
}
