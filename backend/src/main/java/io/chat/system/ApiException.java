package io.chat.system;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A failure that the REST edge turns into an {@code application/problem+json} answer. Each
 * subclass is named for what happened; the WebSocket edge turns the same failures into error
 * frames, with {@link #getMessage()} as the frame's text.
 */
public abstract class ApiException extends RuntimeException {

    private final HttpStatus status;

    protected ApiException(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    /** Field errors for the problem's {@code errors} member; empty when the failure is not a field's. */
    public Map<String, List<String>> fieldErrors() {
        return Map.of();
    }
}
